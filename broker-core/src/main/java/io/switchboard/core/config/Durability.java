package io.switchboard.core.config;

/**
 * When a write counts as durable, and so when a sender may be acknowledged.
 *
 * <ul>
 *   <li>{@code NONE}: no write-ahead log; acknowledged once applied in memory. A crash loses recent writes.
 *   <li>{@code BATCH}: write-ahead log on every write, one fsync every {@code store.batchInterval} covering every
 *       write since the previous one (group commit); acknowledged after that fsync. The default.
 *   <li>{@code SYNC}: one fsync per write batch before acknowledging.
 * </ul>
 */
public enum Durability {
  NONE,
  BATCH,
  SYNC
}
