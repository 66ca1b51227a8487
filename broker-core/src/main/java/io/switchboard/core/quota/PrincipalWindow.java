package io.switchboard.core.quota;

import io.switchboard.core.store.WriteBatch;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One principal's window. Its lock is held only for a few array operations (and once, on first use, for the store
 * scan that loads it: by a blocking-pool thread when the load came from {@link SlidingWindowQuota#acquire}, whose
 * callers never lock a window that is not loaded), and only by calls for this principal: there is no global lock.
 * Because records are appended to the caller's batch under this lock, the in-memory log is updated in the same
 * order reservations are made.
 */
final class PrincipalWindow {
  final ReentrantLock lock = new ReentrantLock();
  final String principal;
  final byte[] prefix;
  final AcceptanceLog log = new AcceptanceLog();
  /**
   * Set (under the lock) once the store's records are in {@link #log}; read without it by
   * {@link SlidingWindowQuota#acquire}, which queues callers in {@link #waiting} until then instead of locking.
   */
  volatile boolean loaded;
  /** Guards {@link #waiting}; never held across a store read. */
  final Object gate = new Object();
  /** Acquisitions waiting for the load in flight, in arrival order; null when no load is in flight. */
  java.util.ArrayDeque<Waiter> waiting;
  /** Set (under the lock) when dropped from the map; a caller that finds it set looks the principal up again. */
  boolean evicted;
  /** Reservations neither committed nor aborted: while any exist, the store lacks them, so no eviction. */
  int pending;
  int nextSeq;
  volatile long lastUsedMillis;

  /** An {@link SlidingWindowQuota#acquire} waiting for its principal's records to be loaded. */
  record Waiter(int n, WriteBatch batch, java.util.concurrent.CompletableFuture<QuotaDecision> result) {}

  PrincipalWindow(String principal, byte[] prefix) {
    this.principal = principal;
    this.prefix = prefix;
  }

  /**
   * Accepts {@code n} at {@code now} if the window has room, recording them into {@code batch}. Call under the
   * lock, loaded.
   */
  QuotaDecision tryAcquire(int n, long now, WriteBatch batch, int limit, long windowMillis, long expiryMargin) {
    // Per principal, time never runs backwards: after a clock step back, acceptances count at the newest bucket's
    // millisecond, which keeps them in the window at least as long as they should be (never admits more).
    long at = Math.max(now, log.lastMillis());
    log.expire(at - windowMillis + 1);
    long total = log.total();
    if (total + n > limit) {
      long freeing = log.millisFreeing(total + n - limit);
      return new QuotaExceeded(freeing + windowMillis - at);
    }
    int seq = nextSeq++;
    // A new key (the bucket's millisecond and a sequence): the writer need not read an old value. Its expiry only
    // reclaims the space (a load reads the window's records by their keys' time), so it is rounded up to a whole
    // second, and a round's records share one expiry-index entry.
    batch.putNew(QuotaKeys.record(prefix, at, seq), QuotaKeys.count(n),
        WriteBatch.groupableExpiry(Instant.ofEpochMilli(at + windowMillis + expiryMargin)));
    log.add(at, n);
    pending++;
    lastUsedMillis = at;
    return new Reservation(this, at, n);
  }

  boolean resolve(Reservation r, boolean committed) {
    lock.lock();
    try {
      if (r.resolved) {
        return false;
      }
      r.resolved = true;
      pending--;
      if (!committed) {
        log.remove(r.acceptedAtMillis(), r.count());
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
