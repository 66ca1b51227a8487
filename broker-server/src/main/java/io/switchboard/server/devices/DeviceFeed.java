package io.switchboard.server.devices;

import io.netty.buffer.Unpooled;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.core.stream.SlowConsumerPolicy;
import io.switchboard.core.stream.Stream;
import io.switchboard.core.stream.StreamClass;
import io.switchboard.core.stream.Streams;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Each app's event feed (devices.md §5.9): items numbered by a per-app sequence, stored durably (the newest
 * {@code retainItems} per app) in the same atomic batch as the state or replay key they go with, and published to
 * the app's stream only once that batch is durable, so a subscriber never sees an item a crash could take back.
 *
 * <p>Sequence numbers are assigned and batches committed under a per-app lock; the store's single writer then
 * completes them in that order, so live subscribers receive items in sequence order.
 */
final class DeviceFeed {
  private final Store store;
  private final Streams streams;
  private final StreamClass streamClass;
  private final int retain;
  /** How many items past {@link #retain} accumulate before one range delete trims them. */
  private final int trimStep;
  private final Map<String, AppFeed> feeds = new ConcurrentHashMap<>();

  /**
   * One app's key prefix and stream name (built once, not per item), last sequence number and the sequence number
   * trimmed through; the object is also the app's append lock, which guards both numbers' updates.
   */
  private static final class AppFeed {
    final byte[] prefix;
    final String streamName;
    final AtomicLong lastSeq;
    long trimmedThrough; // every item at or below it is deleted (or in a batch that deletes it); guarded by this

    AppFeed(byte[] prefix, String streamName, long lastSeq, long trimmedThrough) {
      this.prefix = prefix;
      this.streamName = streamName;
      this.lastSeq = new AtomicLong(lastSeq);
      this.trimmedThrough = trimmedThrough;
    }
  }

  DeviceFeed(Store store, Streams streams, int retain, int subscriberQueue) {
    this.store = store;
    this.streams = streams;
    this.retain = retain;
    this.trimStep = trimStep(retain);
    this.streamClass = new StreamClass("devices-feed", SlowConsumerPolicy.DISCONNECT, subscriberQueue);
  }

  Stream stream(String appKey) {
    return streams.stream(streamName(appKey), streamClass);
  }

  private static String streamName(String appKey) {
    return "devices/feed/" + appKey;
  }

  private static byte[] prefix(String appKey) {
    return Keys.of("dev", "feed", appKey, "");
  }

  /**
   * Items are trimmed in steps of the retention (64 to 4,096 items), one range delete per step: a delete per appended
   * item was a fifth of the store writer's memtable inserts under {@code devices --max}, and each of those tombstones
   * was flushed and compacted again. Steps are long because a range tombstone is not free either: RocksDB rebuilds
   * its memtable's fragmented tombstone list on the first read after each one, in time linear in the tombstones the
   * memtable holds. At a quarter of the retention that rebuild was 3 % of the event loops' samples under
   * {@code devices --max} (their replay-key reads paid it); a step four times longer makes it a sixteenth. The store
   * holds at most {@code retain + step - 1} items; readers see the newest {@code retain} ({@link #backlog}).
   */
  static int trimStep(int retain) {
    return Math.max(64, Math.min(4096, retain));
  }

  private AppFeed feed(String appKey) {
    return feeds.computeIfAbsent(appKey, k -> {
      byte[] prefix = prefix(k);
      long last = edgeSeq(prefix, true, 0);
      return new AppFeed(prefix, streamName(k), last, edgeSeq(prefix, false, last + 1) - 1);
    });
  }

  /** The newest ({@code reverse}) or oldest stored item's sequence number, or {@code ifEmpty}. */
  private long edgeSeq(byte[] prefix, boolean reverse, long ifEmpty) {
    long[] seq = {ifEmpty};
    store.scanPrefix(prefix, reverse, (key, value) -> {
      seq[0] = seqOf(key);
      return false;
    });
    return seq[0];
  }

  private static long seqOf(byte[] itemKey) {
    return Keys.readLong(itemKey, itemKey.length - 8);
  }

  /**
   * Appends the item {@code json.apply(seq)} to the app's feed within {@code batch} (which may carry conditions and
   * other writes), commits it, and publishes the item once durable. Completes with the commit's result.
   */
  CompletableFuture<CommitResult> append(String appKey, WriteBatch batch, LongFunction<String> json) {
    return append(appKey, batch, json, null);
  }

  /**
   * {@link #append(String, WriteBatch, LongFunction)}, also telling {@code onApplied} (unless null) the outcome once
   * the batch is applied, before it is durable ({@link Store#commit(WriteBatch, Consumer)}). The
   * item is still published only once durable.
   */
  CompletableFuture<CommitResult> append(String appKey, WriteBatch batch, LongFunction<String> json,
      Consumer<? super CommitResult> onApplied) {
    AppFeed feed = feed(appKey);
    synchronized (feed) {
      long seq = feed.lastSeq.incrementAndGet();
      byte[] item = json.apply(seq).getBytes(StandardCharsets.UTF_8);
      byte[] prefix = feed.prefix;
      batch.putPlain(Keys.withLong(prefix, seq), item);
      long trimThrough = seq - retain;
      if (trimThrough - feed.trimmedThrough >= trimStep) {
        // Ranges do not overlap: each starts where the last one ended (overlapping range tombstones cost reads more).
        batch.deleteRangePlain(Keys.withLong(prefix, feed.trimmedThrough + 1), Keys.withLong(prefix, trimThrough + 1));
        feed.trimmedThrough = trimThrough;
      }
      // The publishing stage is attached under the lock: if the commit already completed it runs here, in order;
      // otherwise on the store writer, which completes commits in the order they were queued.
      CompletableFuture<CommitResult> commit = onApplied == null ? store.commit(batch)
          : store.commit(batch, onApplied);
      return commit.thenApply(result -> {
        if (result instanceof CommitResult.Committed) {
          streams.stream(feed.streamName, streamClass).publish(Unpooled.wrappedBuffer(item), seq);
        }
        return result;
      });
    }
  }

  /**
   * Visits the retained items after {@code afterSeq}, oldest first: at most the newest {@code retain}, though the store
   * may still hold up to a trim step more; returns the last sequence visited.
   */
  long backlog(String appKey, long afterSeq, java.util.function.BiConsumer<Long, byte[]> visitor) {
    long from = Math.max(afterSeq, feed(appKey).lastSeq.get() - retain);
    long[] last = {afterSeq};
    byte[] p = prefix(appKey);
    store.scan(Keys.withLong(p, from + 1), Keys.prefixEnd(p), false, (key, value) -> {
      last[0] = seqOf(key);
      visitor.accept(last[0], value);
      return true;
    });
    return last[0];
  }
}
