package io.switchboard.core.store;

import java.util.List;

/**
 * The ordered byte-array map under a {@link GroupCommitStore}. Engines are deliberately dumb: no expiry, no
 * conditions, no reserved keys, no threading policy. That keeps the durability and atomicity logic in one place,
 * and lets tests swap in a fake that models what survives a crash.
 *
 * <p>Reads may be called from any thread. {@link #apply} and {@link #syncWal} are called by one writer thread
 * only. Arrays returned or handed to visitors belong to the caller. Failures are {@link StoreException}s.
 */
interface StorageEngine extends AutoCloseable {

  /** The raw value of {@code key}, or {@code null}. */
  byte[] get(byte[] key);

  /**
   * Visits raw entries with {@code from <= key < to} ({@code null}: unbounded on that side), ascending or
   * descending, until the visitor returns {@code false}.
   */
  void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor);

  /**
   * Applies {@code writes} in order and atomically (all or nothing, also after a crash).
   *
   * @param walEnabled log the writes to the write-ahead log; without it they live in memory until a flush
   * @param sync fsync the log before returning (only meaningful with {@code walEnabled})
   */
  void apply(List<RawWrite> writes, boolean walEnabled, boolean sync);

  /** Makes every write applied so far with {@code walEnabled} durable (one fsync of the log). */
  void syncWal();

  /** Where the data lives, for log lines and error messages. */
  String location();

  /** Releases the engine; later calls fail with {@link StoreException}. */
  @Override
  void close();
}
