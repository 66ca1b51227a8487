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
  private final Map<String, AppFeed> feeds = new ConcurrentHashMap<>();

  /**
   * One app's key prefix and stream name (built once, not per item) and last sequence number, which is also its
   * append lock.
   */
  private record AppFeed(byte[] prefix, String streamName, AtomicLong lastSeq) {}

  DeviceFeed(Store store, Streams streams, int retain, int subscriberQueue) {
    this.store = store;
    this.streams = streams;
    this.retain = retain;
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

  private AppFeed feed(String appKey) {
    return feeds.computeIfAbsent(appKey, k -> {
      byte[] prefix = prefix(k);
      long[] last = {0};
      store.scanPrefix(prefix, true, (key, value) -> {
        last[0] = Keys.readLong(key, key.length - 8);
        return false;
      });
      return new AppFeed(prefix, streamName(k), new AtomicLong(last[0]));
    });
  }

  /**
   * Appends the item {@code json.apply(seq)} to the app's feed within {@code batch} (which may carry conditions and
   * other writes), commits it, and publishes the item once durable. Completes with the commit's result.
   */
  CompletableFuture<CommitResult> append(String appKey, WriteBatch batch, LongFunction<String> json) {
    AppFeed feed = feed(appKey);
    AtomicLong counter = feed.lastSeq();
    synchronized (counter) {
      long seq = counter.incrementAndGet();
      byte[] item = json.apply(seq).getBytes(StandardCharsets.UTF_8);
      byte[] prefix = feed.prefix();
      batch.putPlain(Keys.withLong(prefix, seq), item);
      if (seq > retain) {
        batch.deletePlain(Keys.withLong(prefix, seq - retain));
      }
      // The publishing stage is attached under the lock: if the commit already completed it runs here, in order;
      // otherwise on the store writer, which completes commits in the order they were queued.
      return store.commit(batch).thenApply(result -> {
        if (result instanceof CommitResult.Committed) {
          streams.stream(feed.streamName(), streamClass).publish(Unpooled.wrappedBuffer(item), seq);
        }
        return result;
      });
    }
  }

  /** Visits the retained items after {@code afterSeq}, oldest first; returns the last sequence visited. */
  long backlog(String appKey, long afterSeq, java.util.function.BiConsumer<Long, byte[]> visitor) {
    long[] last = {afterSeq};
    byte[] p = prefix(appKey);
    store.scan(Keys.withLong(p, afterSeq + 1), Keys.prefixEnd(p), false, (key, value) -> {
      last[0] = Keys.readLong(key, key.length - 8);
      visitor.accept(last[0], value);
      return true;
    });
    return last[0];
  }
}
