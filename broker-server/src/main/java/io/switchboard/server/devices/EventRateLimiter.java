package io.switchboard.server.devices;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One connection's event rate limit (devices.md §7): an event passes when at least (1 − tolerance) × interval has
 * passed since the last accepted event with the same (deviceId, action, instanceId) key.
 *
 * <p>Bounded by use, not by what the device has ever sent: a key whose last acceptance is a full longest interval
 * old can no longer refuse anything, so it is forgotten (exactly: forgetting it changes no decision). Such keys are
 * swept when the map has doubled since the last sweep, which keeps the cost amortised O(1) per event and the map
 * within twice the keys active in the last longest interval.
 *
 * <p>Not thread-safe: lives on its connection's event loop.
 */
final class EventRateLimiter {
  private static final int MIN_SWEEP_SIZE = 64;

  private final double tolerance;
  private final long longestIntervalNanos;
  /** Per key, the time of its last accepted event: updated in place, so an accepted event costs one lookup. */
  private final Map<String, long[]> lastAccepted = new HashMap<>();
  private int sweepAt = MIN_SWEEP_SIZE;

  /**
   * @param tolerance the arrival jitter allowance, 0 ≤ tolerance < 1
   * @param longestIntervalNanos the longest interval any key uses (the sensor interval)
   */
  EventRateLimiter(double tolerance, long longestIntervalNanos) {
    this.tolerance = tolerance;
    this.longestIntervalNanos = longestIntervalNanos;
  }

  /** Accepts (and remembers) an event for {@code key} at {@code nowNanos}, or refuses it (nothing changes). */
  boolean tryAccept(String key, long intervalNanos, long nowNanos) {
    long[] last = lastAccepted.get(key);
    if (last != null) {
      if (nowNanos - last[0] < (long) ((1 - tolerance) * intervalNanos)) {
        return false;
      }
      last[0] = nowNanos;
      return true;
    }
    lastAccepted.put(key, new long[] {nowNanos});
    if (lastAccepted.size() > sweepAt) {
      forgetIdle(nowNanos);
      sweepAt = Math.max(MIN_SWEEP_SIZE, 2 * lastAccepted.size());
    }
    return true;
  }

  /** Forgets keys that can no longer refuse anything; returns how many. */
  int forgetIdle(long nowNanos) {
    int n = 0;
    for (Iterator<long[]> it = lastAccepted.values().iterator(); it.hasNext(); ) {
      if (nowNanos - it.next()[0] >= longestIntervalNanos) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  /** Keys remembered now. */
  int size() {
    return lastAccepted.size();
  }
}
