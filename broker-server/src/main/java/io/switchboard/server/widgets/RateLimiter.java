package io.switchboard.server.widgets;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (widgets.md §7: publishes per token, webhooks per widget key). Idle buckets are full and
 * carry no information, so {@link #evictIdle} drops them to bound memory.
 */
final class RateLimiter {
  private final double perNano;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code permits} per {@code periodNanos}, at most {@code burst} at once. */
  RateLimiter(double permits, long periodNanos, int burst) {
    this.perNano = permits / periodNanos;
    this.burst = burst;
  }

  boolean tryAcquire(String key, long nowNanos) {
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
    synchronized (b) {
      double level = Math.min(burst, b.level + (nowNanos - b.at) * perNano);
      b.at = nowNanos;
      if (level < 1) {
        b.level = level;
        return false;
      }
      b.level = level - 1;
      return true;
    }
  }

  /** Gives back a permit taken for an action that was then refused for another reason (nothing was done). */
  void refund(String key) {
    Bucket b = buckets.get(key);
    if (b != null) {
      synchronized (b) {
        b.level = Math.min(burst, b.level + 1);
      }
    }
  }

  /** Drops buckets that have refilled completely. */
  void evictIdle(long nowNanos) {
    buckets.entrySet().removeIf(e -> {
      Bucket b = e.getValue();
      synchronized (b) {
        return b.level + (nowNanos - b.at) * perNano >= burst;
      }
    });
  }

  private static final class Bucket {
    double level;
    long at;

    Bucket(double level, long at) {
      this.level = level;
      this.at = at;
    }
  }

  int size() {
    return buckets.size();
  }
}
