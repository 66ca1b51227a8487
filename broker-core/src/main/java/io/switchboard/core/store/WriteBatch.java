package io.switchboard.core.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An atomic group of writes with optional conditions, built by one thread and then handed to
 * {@link Store#commit}. Conditions are checked by the store's single writer against the latest state (including
 * writes not yet synced), so check-then-write is atomic: this is what idempotency keys and exact quota counters
 * are built on. Arrays passed in must not be modified afterwards.
 */
public final class WriteBatch {

  /**
   * One write. {@code value == null} means delete. {@code expiresAt == null} means no expiry. {@code plain}: the
   * key holds no live expiring value (never expires, or is new), so the writer need not read its old value to drop
   * an expiry-index entry. {@code rangeEnd != null}: a plain delete of every key from {@code key} (inclusive) to
   * {@code rangeEnd} (exclusive).
   */
  public record Op(byte[] key, byte[] value, Instant expiresAt, boolean plain, byte[] rangeEnd) {

    /** Whether this deletes a range of keys ({@link #deleteRangePlain}). */
    public boolean isRange() {
      return rangeEnd != null;
    }
  }

  /** {@code key} must currently hold exactly {@code expected}; {@code expected == null} means absent. */
  public record Condition(byte[] key, byte[] expected) {}

  private final List<Op> ops = new ArrayList<>(4);
  private List<Condition> conditions = List.of();

  public WriteBatch put(byte[] key, byte[] value) {
    return put(key, value, null);
  }

  /** Puts an entry that reads as absent from {@code expiresAt} on ({@code null}: never expires). */
  public WriteBatch put(byte[] key, byte[] value, Instant expiresAt) {
    return add(key, Objects.requireNonNull(value, "value"), expiresAt, false);
  }

  public WriteBatch delete(byte[] key) {
    return add(key, null, null, false);
  }

  /**
   * Puts a never-expiring entry under a key that is never written with an expiry (feed items, state records): the
   * writer skips the read of the old value that {@link #put} needs to drop the old value's expiry-index entry, one
   * engine read per write on the hot path. Misused on a key that held an expiring value, it only leaves that index
   * entry to the expiry sweep, which checks the live value before deleting anything.
   */
  public WriteBatch putPlain(byte[] key, byte[] value) {
    return add(key, Objects.requireNonNull(value, "value"), null, true);
  }

  /**
   * Puts an entry under a key that is new (built from a unique id: a fresh message's pending entry), with an optional
   * expiry, skipping the old-value read as {@link #putPlain} does. Misused on a live expiring key, it leaves that
   * value's index entry to the sweep, which deletes nothing but the stale entry.
   */
  public WriteBatch putNew(byte[] key, byte[] value, Instant expiresAt) {
    return add(key, Objects.requireNonNull(value, "value"), expiresAt, true);
  }

  /**
   * {@code expiresAt} rounded up to a whole second. The keys put new ({@link #putNew}) in one writer round with one
   * expiry share one expiry-index entry; a caller whose expiry need not be exact to the millisecond (a retention, a
   * replay window, a quota record's clean-up) rounds it, so that the keys of a round do share one.
   */
  public static Instant groupableExpiry(Instant expiresAt) {
    Instant whole = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    return whole.equals(expiresAt) ? whole : whole.plusSeconds(1);
  }

  /** Deletes a key that is never written with an expiry, without reading it first ({@link #putPlain}). */
  public WriteBatch deletePlain(byte[] key) {
    return add(key, null, null, true);
  }

  /**
   * Deletes every key in {@code [from, to)} in one write, for key ranges that are never written with an expiry (an
   * append-only log trimmed from its old end). One range delete replaces a delete per key: for the engine it is one
   * tombstone instead of one per key, in the memtable, the write-ahead log and every compaction. Writes earlier in
   * the same round to keys in the range are deleted, later ones are not; expiry-index entries of keys in the range
   * are left to the sweep, as with {@link #deletePlain}. Trim in steps, not per key: each call is one tombstone that
   * reads must step over until compaction drops it.
   *
   * @throws IllegalArgumentException if {@code from >= to}, or either is not a user key
   */
  public WriteBatch deleteRangePlain(byte[] from, byte[] to) {
    Keys.checkUserKey(from);
    Keys.checkUserKey(to);
    if (java.util.Arrays.compareUnsigned(from, to) >= 0) {
      throw new IllegalArgumentException("empty key range: from must sort before to");
    }
    ops.add(new Op(from, null, null, true, to));
    return this;
  }

  private WriteBatch add(byte[] key, byte[] value, Instant expiresAt, boolean plain) {
    Keys.checkUserKey(key);
    ops.add(new Op(key, value, expiresAt, plain, null));
    return this;
  }

  /** The batch applies only if {@code key} is absent (or expired). */
  public WriteBatch requireAbsent(byte[] key) {
    return require(key, null);
  }

  /** The batch applies only if {@code key} holds {@code expected} ({@code null}: absent). */
  public WriteBatch require(byte[] key, byte[] expected) {
    Keys.checkUserKey(key);
    if (conditions.isEmpty()) {
      conditions = new ArrayList<>(2);
    }
    conditions.add(new Condition(key, expected));
    return this;
  }

  public List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  public List<Condition> conditions() {
    return Collections.unmodifiableList(conditions);
  }

  public boolean isEmpty() {
    return ops.isEmpty() && conditions.isEmpty();
  }

  /** Number of operations, for sizing. */
  public int size() {
    return ops.size();
  }
}
