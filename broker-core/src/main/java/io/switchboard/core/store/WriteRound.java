package io.switchboard.core.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the batches of one writer round into one engine write. Batches are merged so that a round costs one
 * engine write (and, under {@code BATCH}, rides on one fsync); the overlay makes each batch's conditions see the
 * batches before it in the same round, exactly as if they had been applied one by one.
 *
 * <p>Besides the enveloped value, a put with an expiry adds an expiry index entry, and any write but a plain one
 * ({@link WriteBatch#putPlain}) drops the index entry of the value it replaces, so the index stays close to the
 * live data. The keys the round's batches put new ({@link WriteBatch#putNew}) with the same expiry share one group
 * index entry ({@link ReservedKeys}), written after them: a bots message writes three such keys and a quota record,
 * a round holds tens of messages, and each index entry is an engine write. Every key read from the engine is
 * remembered for the rest of the round (the writer is the only one writing), so a condition and a write on the same
 * key cost one engine read. Plain writes enter the overlay only when the round first reads it: a round of plain
 * writes (a devices round) then hashes no key at all. A range delete ({@link WriteBatch#deleteRangePlain}) empties
 * its range in the overlay and makes the engine's keys there read as absent for the rest of the round. Used by the
 * writer thread only.
 */
final class WriteRound {
  private static final byte[] DELETED = new byte[0]; // overlay marker: absent; real envelopes are never empty

  private final StorageEngine engine;
  private final long nowMillis;
  /** Each key's value as of this round (written or read); hashed, not sorted: only point lookups use it. */
  private final HashMap<RoundKey, byte[]> overlay = new HashMap<>();
  /** Plain writes newer than {@link #overlay}, in order; moved into it before the next read. */
  private final List<RawWrite> unindexed = new ArrayList<>();
  /** The range deletes already moved into the overlay: a key missing from it and in one of them reads as absent. */
  private List<RawWrite> deletedRanges = List.of();
  private final List<RawWrite> writes = new ArrayList<>();
  /** The new keys by expiry so far, written as index entries by {@link #writes}; null when none. */
  private ExpiryGroups groups;

  WriteRound(StorageEngine engine, long nowMillis) {
    this.engine = engine;
    this.nowMillis = nowMillis;
  }

  /**
   * Adds {@code batch} if its conditions hold against the engine plus this round so far.
   *
   * @return {@link CommitResult.Committed}, or a {@link CommitResult.Conflict} naming the first failing key (the
   *     batch then contributes nothing)
   */
  CommitResult add(WriteBatch batch) {
    for (WriteBatch.Condition c : batch.conditions()) {
      byte[] live = Envelope.liveValue(current(new RoundKey(c.key())), nowMillis);
      if (!Arrays.equals(live, c.expected())) {
        return new CommitResult.Conflict(c.key());
      }
    }
    for (WriteBatch.Op op : batch.ops()) {
      if (op.plain()) {
        addPlain(op);
        continue;
      }
      RoundKey key = new RoundKey(op.key());
      byte[] old = current(key);
      if (old != null && Envelope.hasExpiry(old)) {
        writes.add(RawWrite.delete(ReservedKeys.expiryIndex(Envelope.expiresAt(old), op.key())));
      }
      if (op.value() == null) {
        if (old != null) {
          writes.add(RawWrite.delete(op.key()));
          overlay.put(key, DELETED);
        }
        continue;
      }
      byte[] env = Envelope.wrap(op.value(), op.expiresAt());
      writes.add(RawWrite.put(op.key(), env));
      if (Envelope.hasExpiry(env)) {
        writes.add(singleIndexEntry(Envelope.expiresAt(env), op.key()));
      }
      overlay.put(key, env);
    }
    return CommitResult.committed();
  }

  /** A write that reads nothing: the key holds no live expiring value ({@link WriteBatch.Op#plain}). */
  private void addPlain(WriteBatch.Op op) {
    RawWrite w;
    if (op.isRange()) {
      w = RawWrite.deleteRange(op.key(), op.rangeEnd());
    } else if (op.value() == null) {
      w = RawWrite.delete(op.key());
    } else {
      byte[] env = Envelope.wrap(op.value(), op.expiresAt());
      w = RawWrite.put(op.key(), env);
      if (Envelope.hasExpiry(env)) { // new: no index entry of an old value to drop, so it may share a group
        groups = ExpiryGroups.add(groups, Envelope.expiresAt(env), op.key());
      }
    }
    writes.add(w);
    unindexed.add(w);
  }

  /**
   * The new keys of one round by expiry, in order; a handful of expiries (see WriteBatch#groupableExpiry). A group
   * is closed at {@link #MAX_GROUP_KEYS} and another begun, so that a round of large batches does not make one
   * index value of megabytes, nor one sweep step that long.
   */
  static final class ExpiryGroups {
    static final int MAX_GROUP_KEYS = 1024;

    private final LinkedHashMap<Long, List<byte[]>> open = new LinkedHashMap<>();
    private final List<RawWrite> closed = new ArrayList<>();

    static ExpiryGroups add(ExpiryGroups groups, long expiresAt, byte[] key) {
      ExpiryGroups g = groups != null ? groups : new ExpiryGroups();
      List<byte[]> group = g.open.computeIfAbsent(expiresAt, at -> new ArrayList<>(4));
      group.add(key);
      if (group.size() == MAX_GROUP_KEYS) {
        g.closed.add(entry(expiresAt, group));
        g.open.remove(expiresAt);
      }
      return g;
    }

    /** One index entry per group: the single-key form for one key. */
    void writeTo(List<RawWrite> writes) {
      writes.addAll(closed);
      for (Map.Entry<Long, List<byte[]>> e : open.entrySet()) {
        writes.add(entry(e.getKey(), e.getValue()));
      }
    }

    private static RawWrite entry(long at, List<byte[]> group) {
      return group.size() == 1
          ? singleIndexEntry(at, group.get(0))
          : RawWrite.put(ReservedKeys.groupIndex(at, group.get(0)), ReservedKeys.groupValue(group));
    }
  }

  /** The index entry of one key's expiry: its key names the user key, its value is empty. */
  private static RawWrite singleIndexEntry(long expiresAt, byte[] userKey) {
    return RawWrite.put(ReservedKeys.expiryIndex(expiresAt, userKey), ReservedKeys.EMPTY);
  }

  /** The round's raw writes, in order, ending with the index entries of its new keys. Call after the last add. */
  List<RawWrite> writes() {
    if (groups != null) {
      groups.writeTo(writes);
      groups = null;
    }
    return writes;
  }

  private byte[] current(RoundKey key) {
    indexPlainWrites();
    byte[] v = overlay.get(key);
    if (v == null) {
      v = inDeletedRange(key.bytes) ? null : engine.get(key.bytes);
      overlay.put(key, v == null ? DELETED : v);
    }
    return v == DELETED ? null : v;
  }

  private void indexPlainWrites() {
    for (RawWrite w : unindexed) {
      if (w.isRangeDelete()) {
        // What the round wrote or read in the range so far is gone; the engine's values there are too.
        overlay.keySet().removeIf(k -> w.rangeContains(k.bytes));
        if (deletedRanges.isEmpty()) {
          deletedRanges = new ArrayList<>(2);
        }
        deletedRanges.add(w);
      } else {
        overlay.put(new RoundKey(w.key()), w.value() == null ? DELETED : w.value());
      }
    }
    unindexed.clear();
  }

  private boolean inDeletedRange(byte[] key) {
    for (RawWrite r : deletedRanges) {
      if (r.rangeContains(key)) {
        return true;
      }
    }
    return false;
  }

  /** A key compared by content ({@link Keys#hash64}: see there why not {@link Arrays#hashCode(byte[])}). */
  private static final class RoundKey {
    private final byte[] bytes;
    private final int hash;

    RoundKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = (int) Keys.hash64(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RoundKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
