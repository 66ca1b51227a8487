package io.switchboard.server.bots;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed-login counters over a sliding window (bots.md §3.3): one per remote IP (every failure) and one per uid
 * (only failures whose signature verified, which a third party cannot produce). Kept in memory per node.
 */
final class LoginThrottle {
  /** Past this many tracked keys, a failure first sweeps out the expired ones. */
  private static final int MAX_KEYS = 10_000;

  private final long windowMillis;
  private final int maxPerIp;
  private final int maxPerUid;
  private final Map<String, ArrayDeque<Long>> byIp = new ConcurrentHashMap<>();
  private final Map<String, ArrayDeque<Long>> byUid = new ConcurrentHashMap<>();

  LoginThrottle(long windowMillis, int maxPerIp, int maxPerUid) {
    this.windowMillis = windowMillis;
    this.maxPerIp = maxPerIp;
    this.maxPerUid = maxPerUid;
  }

  void failed(String ip, String uidIfSignatureVerified, long now) {
    add(byIp, ip, now);
    if (uidIfSignatureVerified != null) {
      add(byUid, uidIfSignatureVerified, now);
    }
  }

  /** Seconds until the throttle lifts, or 0 when {@code ip} / {@code uid} may try. */
  long retryAfterSeconds(String ip, String uid, long now) {
    long a = over(byIp, ip, maxPerIp, now);
    long b = uid == null ? 0 : over(byUid, uid, maxPerUid, now);
    return Math.max(a, b);
  }

  private void add(Map<String, ArrayDeque<Long>> m, String key, long now) {
    if (m.size() > MAX_KEYS) {
      sweep(m, now); // bounded memory however many addresses fail
    }
    ArrayDeque<Long> d = m.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(now);
      prune(d, now);
    }
  }

  /** Drops keys whose failures all left the window. */
  private void sweep(Map<String, ArrayDeque<Long>> m, long now) {
    m.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        prune(e.getValue(), now);
        return e.getValue().isEmpty();
      }
    });
  }

  private long over(Map<String, ArrayDeque<Long>> m, String key, int max, long now) {
    ArrayDeque<Long> d = m.get(key);
    if (d == null) {
      return 0;
    }
    synchronized (d) {
      prune(d, now);
      if (d.size() < max) {
        return 0;
      }
      return Math.max(1, (d.peekFirst() + windowMillis - now + 999) / 1000);
    }
  }

  private void prune(ArrayDeque<Long> d, long now) {
    while (!d.isEmpty() && now - d.peekFirst() >= windowMillis) {
      d.pollFirst();
    }
  }
}
