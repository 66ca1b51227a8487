package io.switchboard.core.deadline;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keys of requests that timed out, remembered for a retention and at most {@code max} of them (oldest forgotten
 * first), so that a reply after the deadline is told apart as late rather than unknown.
 */
final class LateKeys<K> {
  private final ConcurrentHashMap<K, Expiry<K>> keys = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Expiry<K>> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final long retentionNanos;
  private final int max;

  LateKeys(long retentionNanos, int max) {
    this.retentionNanos = retentionNanos;
    this.max = max;
  }

  void add(K key, long now) {
    Expiry<K> e = new Expiry<>(key, now + retentionNanos);
    keys.put(key, e);
    order.offer(e);
    size.incrementAndGet();
    evict(now);
  }

  boolean contains(K key, long now) {
    Expiry<K> e = keys.get(key);
    return e != null && e.until - now > 0;
  }

  /** Keys held, expired ones not yet evicted included. */
  int size() {
    return size.get();
  }

  private void evict(long now) {
    for (Expiry<K> head = order.peek(); head != null; head = order.peek()) {
      if (size.get() <= max && head.until - now > 0) {
        return;
      }
      Expiry<K> gone = order.poll();
      if (gone == null) {
        return;
      }
      size.decrementAndGet();
      keys.remove(gone.key, gone);
    }
  }

  private record Expiry<K>(K key, long until) {}
}
