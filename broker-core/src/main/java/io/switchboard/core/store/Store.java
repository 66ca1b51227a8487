package io.switchboard.core.store;

import io.switchboard.core.config.Durability;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The broker's key-value store: the one seam behind which durable state lives (embedded RocksDB by default,
 * memory for tests, a shared engine such as Redis when clustered). Dialects never talk to an engine directly.
 *
 * <p>Keys and values are byte arrays; keys order as unsigned bytes. Keys starting with {@code 0x00} are reserved
 * for the store itself. Entries may carry an expiry instant, read from the broker's injected {@code Clock}: an
 * expired entry is never returned and is deleted by a periodic sweep.
 *
 * <p><b>Threads.</b> Reads are thread-safe and synchronous: they may touch disk, so event loops use them only for
 * small point reads; scans of unbounded size belong on a worker. Writes go through {@link #commit}, which never
 * blocks the caller; all writes are applied by one writer in commit order, which makes each batch's conditions and
 * writes atomic. The returned future completes on the writer thread, <i>after</i> the batch is durable under the
 * configured {@link Durability}: hop back to your event loop before touching channel state.
 */
public interface Store extends AutoCloseable {

  /** The live value of {@code key}, or {@code null} when absent or expired. */
  byte[] get(byte[] key);

  /**
   * Visits live entries with {@code from <= key < to} in key order ({@code reverse} for descending), until the
   * visitor returns {@code false}. {@code to == null} means no upper bound.
   */
  void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor);

  /** Visits live entries whose key starts with {@code prefix}, in key order ({@code reverse}: descending). */
  default void scanPrefix(byte[] prefix, boolean reverse, EntryVisitor visitor) {
    scan(prefix, Keys.prefixEnd(prefix), reverse, visitor);
  }

  /**
   * Applies {@code batch} atomically if all of its conditions hold. Completes with {@link CommitResult.Committed}
   * or {@link CommitResult.Conflict} once the outcome is durable (a conflict is reported only after the writes it
   * observed are durable too), or exceptionally with a {@link StoreException}.
   */
  CompletableFuture<CommitResult> commit(WriteBatch batch);

  /**
   * Like {@link #commit(WriteBatch)}, and also runs {@code onApplied} with the outcome as soon as the batch is
   * applied: its writes are visible to every read from then on, but under {@link Durability#BATCH} not durable until
   * the returned future completes. It is not called when the batch fails before it is applied (the future fails).
   *
   * <p>For answers that report what someone else said rather than acknowledge data kept for the asker: the Caller
   * API's reply carries a device's response, and the state the broker stores from it is its own copy. Such an answer
   * needs read-your-writes (a state read after it sees the new state), not the fsync. The store applies such a
   * commit without waiting for more commits to share its engine write. {@code onApplied} runs on the writer thread:
   * it must be quick and must not block (hand work to an event loop). This default waits for the durable outcome,
   * which is correct for any store, only later than needed.
   */
  default CompletableFuture<CommitResult> commit(WriteBatch batch,
      Consumer<? super CommitResult> onApplied) {
    Objects.requireNonNull(onApplied, "onApplied");
    CompletableFuture<CommitResult> f = commit(batch);
    f.thenAccept(onApplied);
    return f;
  }

  /** Shorthand for a one-entry unconditional batch. */
  default CompletableFuture<CommitResult> put(byte[] key, byte[] value) {
    return commit(new WriteBatch().put(key, value));
  }

  /** Shorthand for a one-entry unconditional delete. */
  default CompletableFuture<CommitResult> delete(byte[] key) {
    return commit(new WriteBatch().delete(key));
  }

  /**
   * Tells {@code listener} how many entries under {@code prefix} each expiry sweep deleted (only entries that
   * expired, not ones deleted or overwritten before), e.g. to count expired messages. The listener runs on the
   * store's writer thread after the deletes are applied: it must be quick and must not block (increment a counter).
   *
   * @return stops the listening (a store may outlive the broker that registered)
   */
  Runnable onExpired(byte[] prefix, java.util.function.IntConsumer listener);

  /** The durability policy the store acknowledges under. */
  Durability durability();

  /** Writes still to be acknowledged, for metrics and readiness. */
  int pendingWrites();

  /**
   * Stops accepting commits, completes what was accepted (including its final sync), and releases the engine.
   * Later commits fail with {@link StoreException}.
   */
  @Override
  void close();
}
