package io.switchboard.core.quota;

import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exact sliding-window quota per principal (bots.md §7): at time <i>t</i> (milliseconds of the injected clock),
 * <i>n</i> acceptances are admitted only if the principal's acceptances in (<i>t</i> − window, <i>t</i>] plus
 * <i>n</i> stay within the limit, so no window of that length ever holds more than the limit. A batch of <i>n</i>
 * counts <i>n</i>, all or nothing. With a 60 s window, acceptances at <i>t</i> = 0 stop counting at exactly
 * <i>t</i> = 60.000 s.
 *
 * <p><b>Why exact.</b> Time is millisecond-granular, so keeping a count per millisecond that accepted something
 * ({@link AcceptanceLog}) loses nothing: the window's edge always falls between two buckets. No approximation
 * (fixed buckets, sliding-log interpolation) is involved.
 *
 * <p><b>Why it survives restarts.</b> Each reservation adds one record ({@link QuotaKeys}) to the caller's
 * {@link WriteBatch}: the acceptance is stored in the same atomic batch as the message, or not at all. A principal
 * seen for the first time is loaded with a prefix scan of its records inside the window, so a restart neither
 * resets nor double-counts. Records expire from the store a margin after their window.
 *
 * <p><b>Why reservations.</b> A request is counted from {@link #tryAcquire} on, before its batch is durable, so
 * concurrent requests of one principal (from several event loops) cannot all pass the check; the caller then
 * {@link Reservation#commit() commits} or {@link Reservation#abort() aborts} it by the store's outcome.
 *
 * <p><b>Threads and memory.</b> Thread-safe, with one short lock per principal and none shared. At most
 * {@link QuotaPolicy#maxPrincipals()} principals are tracked: past it, principals with no reservation in flight are
 * evicted, those with an empty window first; an evicted principal is reloaded from the store when it returns, which
 * is exact because everything it committed is there. The store scan on first use reads disk: event loops call
 * {@link #acquire}, which runs that scan on the executor they pass and decides once it is done, in arrival order;
 * {@link #tryAcquire}, {@link #count} and {@link #preload} scan on the calling thread.
 *
 * <p>Exact for one broker process per store. Brokers sharing a store would each admit up to the limit from their
 * own view; that needs the check inside the store's writer (planned with the shared store).
 */
public final class SlidingWindowQuota {
  private final Store store;
  private final QuotaKeys keys;
  private final Clock clock;
  private final int limit;
  private final long windowMillis;
  private final long expiryMargin;
  private final int maxPrincipals;
  private final ConcurrentHashMap<String, PrincipalWindow> windows = new ConcurrentHashMap<>();
  private final AtomicBoolean evicting = new AtomicBoolean();

  /**
   * @param namespace key prefix of this quota's records, e.g. {@code quota/bots/}
   * @param clock the broker's clock; tests move it
   */
  public SlidingWindowQuota(Store store, String namespace, QuotaPolicy policy, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.keys = new QuotaKeys(Objects.requireNonNull(namespace, "namespace"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limit = policy.limit();
    this.windowMillis = policy.windowMillis();
    this.expiryMargin = policy.expiryMargin().toMillis();
    this.maxPrincipals = policy.maxPrincipals();
  }

  /**
   * Reserves {@code n} acceptances for {@code principal} now, adding their record to {@code batch}, or refuses.
   * On a {@link Reservation}, commit {@code batch} and resolve the reservation by the outcome:
   * {@code store.commit(batch).whenComplete(reservation::resolve)}. On {@link QuotaExceeded}, nothing was added.
   *
   * @param principal e.g. the sending bot's id; no '/'
   * @param n how many messages the batch accepts (1 for one message, whatever its recipients)
   */
  public QuotaDecision tryAcquire(String principal, int n, WriteBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (n < 1) {
      throw new IllegalArgumentException("n must be positive: " + n);
    }
    if (n > limit) {
      return new QuotaExceeded(QuotaExceeded.NEVER);
    }
    while (true) {
      PrincipalWindow w = window(principal);
      w.lock.lock();
      try {
        if (w.evicted) {
          continue;
        }
        long now = clock.millis();
        loadIfNeeded(w, now);
        return w.tryAcquire(n, now, batch, limit, windowMillis, expiryMargin);
      } finally {
        w.lock.unlock();
        evictIfOverBound();
      }
    }
  }

  /**
   * Like {@link #tryAcquire}, but never reads the store on the calling thread, so event loops may call it. When
   * {@code principal}'s records are loaded already (the common case) it decides at once and returns a completed
   * future. Otherwise the prefix scan runs on {@code loader} (a blocking pool) and the decision completes there,
   * after the load; acquisitions arriving meanwhile queue behind it and are decided in arrival order, so the
   * quota stays exact. Fails (exceptionally) if the scan fails or {@code loader} refuses the task; nothing was
   * added to {@code batch} then. Resolve a {@link Reservation} as with {@link #tryAcquire}.
   */
  public CompletableFuture<QuotaDecision> acquire(String principal, int n, WriteBatch batch, Executor loader) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(loader, "loader");
    if (n < 1) {
      throw new IllegalArgumentException("n must be positive: " + n);
    }
    if (n > limit) {
      return CompletableFuture.completedFuture(new QuotaExceeded(QuotaExceeded.NEVER));
    }
    while (true) {
      PrincipalWindow w = window(principal);
      if (!w.loaded) {
        CompletableFuture<QuotaDecision> queued = null;
        boolean startLoad = false;
        boolean retry = false;
        synchronized (w.gate) {
          if (w.evicted) {
            retry = true;
          } else if (!w.loaded) {
            if (w.waiting == null) {
              w.waiting = new ArrayDeque<>();
              startLoad = true;
            }
            queued = new CompletableFuture<>();
            w.waiting.add(new PrincipalWindow.Waiter(n, batch, queued));
          }
        }
        if (retry) {
          continue;
        }
        if (queued != null) {
          if (startLoad) {
            startLoad(w, loader);
          }
          return queued;
        }
      }
      // Loaded: the lock is held for a few array operations only.
      w.lock.lock();
      try {
        if (w.evicted) {
          continue;
        }
        return CompletableFuture.completedFuture(
            w.tryAcquire(n, clock.millis(), batch, limit, windowMillis, expiryMargin));
      } finally {
        w.lock.unlock();
        evictIfOverBound();
      }
    }
  }

  private void startLoad(PrincipalWindow w, Executor loader) {
    try {
      loader.execute(() -> load(w));
    } catch (RejectedExecutionException e) {
      fail(drainWaiters(w), e);
    }
  }

  /** On the loader: scans {@code w}'s records, then decides the queued acquisitions in order, under the lock. */
  private void load(PrincipalWindow w) {
    ArrayDeque<PrincipalWindow.Waiter> queue;
    List<QuotaDecision> decisions = new ArrayList<>();
    w.lock.lock();
    try {
      try {
        // Not evicted: eviction leaves alone a window with a load in flight.
        loadIfNeeded(w, clock.millis());
      } catch (RuntimeException e) {
        fail(drainWaiters(w), e);
        return;
      }
      queue = drainWaiters(w); // nobody queues once loaded is set, and it was set above, before this hand-over
      for (PrincipalWindow.Waiter waiter : queue) {
        decisions.add(w.tryAcquire(waiter.n(), clock.millis(), waiter.batch(), limit, windowMillis, expiryMargin));
      }
    } finally {
      w.lock.unlock();
    }
    int i = 0;
    for (PrincipalWindow.Waiter waiter : queue) {
      waiter.result().complete(decisions.get(i++)); // outside the lock: callers commit from here
    }
    evictIfOverBound();
  }

  private static ArrayDeque<PrincipalWindow.Waiter> drainWaiters(PrincipalWindow w) {
    synchronized (w.gate) {
      ArrayDeque<PrincipalWindow.Waiter> queue = w.waiting;
      w.waiting = null;
      return queue == null ? new ArrayDeque<>() : queue;
    }
  }

  /** The load failed or could not start: its waiters fail (nothing was added to their batches); the next try loads. */
  private static void fail(ArrayDeque<PrincipalWindow.Waiter> queue, Throwable cause) {
    queue.forEach(waiter -> waiter.result().completeExceptionally(cause));
  }

  /** Loads {@code principal}'s records now, so that its first {@link #tryAcquire} does not scan. Reads disk. */
  public void preload(String principal) {
    while (true) {
      PrincipalWindow w = window(principal);
      w.lock.lock();
      try {
        if (!w.evicted) {
          loadIfNeeded(w, clock.millis());
          return;
        }
      } finally {
        w.lock.unlock();
      }
    }
  }

  /** Acceptances (including reservations in flight) counted for {@code principal} in the window ending now. */
  public long count(String principal) {
    while (true) {
      PrincipalWindow w = window(principal);
      w.lock.lock();
      try {
        if (w.evicted) {
          continue;
        }
        long now = clock.millis();
        loadIfNeeded(w, now);
        w.log.expire(Math.max(now, w.log.lastMillis()) - windowMillis + 1);
        return w.log.total();
      } finally {
        w.lock.unlock();
      }
    }
  }

  /** Principals currently held in memory. */
  public int trackedPrincipals() {
    return windows.size();
  }

  /**
   * Forgets principals whose window is empty and that have nothing in flight (their state is just "no
   * acceptances", which reloading would also find). Run it now and then, e.g. every window.
   *
   * @return how many were evicted
   */
  public int evictIdle() {
    long now = clock.millis();
    int evicted = 0;
    for (PrincipalWindow w : windows.values()) {
      if (tryEvict(w, now, false)) {
        evicted++;
      }
    }
    return evicted;
  }

  private PrincipalWindow window(String principal) {
    PrincipalWindow w = windows.get(principal);
    return w != null ? w : windows.computeIfAbsent(principal, p -> new PrincipalWindow(p, keys.principalPrefix(p)));
  }

  /** Under {@code w}'s lock. The scan visits the records in key order, i.e. in time order. */
  private void loadIfNeeded(PrincipalWindow w, long now) {
    if (w.loaded) {
      return;
    }
    long oldestCounted = now - windowMillis + 1;
    int[] nextSeq = {0};
    store.scanPrefix(w.prefix, false, (key, value) -> {
      if (key.length == w.prefix.length + QuotaKeys.RECORD_SUFFIX) {
        nextSeq[0] = Math.max(nextSeq[0], QuotaKeys.seqOf(key) + 1);
        long ms = QuotaKeys.millisOf(key);
        if (ms >= oldestCounted) {
          w.log.add(ms, QuotaKeys.countOf(value));
        }
      }
      return true;
    });
    w.nextSeq = nextSeq[0];
    w.loaded = true;
  }

  /** Past the bound, evicts down to 3/4 of it: empty windows first, then the least recently used idle ones. */
  private void evictIfOverBound() {
    if (windows.size() <= maxPrincipals || !evicting.compareAndSet(false, true)) {
      return;
    }
    try {
      int target = maxPrincipals - maxPrincipals / 4;
      evictIdle();
      if (windows.size() > target) {
        List<PrincipalWindow> idle = new ArrayList<>(windows.values());
        idle.sort(Comparator.comparingLong(w -> w.lastUsedMillis));
        for (PrincipalWindow w : idle) {
          if (windows.size() <= target) {
            break;
          }
          tryEvict(w, 0, true);
        }
      }
    } finally {
      evicting.set(false);
    }
  }

  /** Evicts {@code w} unless it is busy (locked), has reservations in flight, or (unless forced) a live window. */
  private boolean tryEvict(PrincipalWindow w, long now, boolean evenIfLive) {
    if (!w.lock.tryLock()) {
      return false;
    }
    try {
      if (w.evicted || w.pending > 0) {
        return false;
      }
      if (!evenIfLive) {
        w.log.expire(Math.max(now, w.log.lastMillis()) - windowMillis + 1);
        if (!w.log.isEmpty()) {
          return false;
        }
      }
      synchronized (w.gate) {
        if (w.waiting != null) {
          return false; // a load is in flight, with acquisitions queued on this window
        }
        w.evicted = true; // under the gate too: acquire() checks it there before queueing
      }
      windows.remove(w.principal, w);
      return true;
    } finally {
      w.lock.unlock();
    }
  }
}
