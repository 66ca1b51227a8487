package io.switchboard.core.deadline;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.LoopHandOffs;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests waiting for a reply, keyed by a token (the devices dialect's {@code replyToken}). Each resolves exactly
 * once: by its reply ({@link #complete}), its deadline, a {@link #cancel}, a {@link #fail}, or {@link #failAll} when
 * the connection that would answer closes. Every method is thread-safe and non-blocking.
 *
 * <p>Exactly once: each entry has one atomic state, and the first transition out of pending wins. The winner alone
 * removes the entry, frees its slots, counts it and hands its {@link Resolution} to the callback on the executor
 * given at registration (typically the waiting caller's event loop). A timeout is decided on the wheel thread at the
 * deadline (a CAS and two map writes, no user code), so a reply that comes after the deadline is late even when the
 * caller's loop is busy; only the callback waits for the loop.
 *
 * <p>Bounded: at most {@link PendingLimits#maxPending()} requests, and {@link PendingLimits#maxPendingPerGroup()}
 * per group (the group is taken from the context, e.g. the device id: the devices dialect answers 429
 * {@code too_many_pending}). Timed-out keys are remembered for {@link PendingLimits#lateRetention()}, at most
 * {@link PendingLimits#maxLateKeys()} of them, to tell late replies from unknown ones.
 *
 * <p>Meters, tagged {@code dialect} (one table per dialect; in Prometheus {@code switchboard_requests_*}):
 * counters {@code switchboard.requests.completed}, {@code .timed_out}, {@code .cancelled}, {@code .failed} (each
 * request counts in exactly one), {@code .late} and {@code .unmatched} (replies that matched nothing),
 * {@code .refused} (tag {@code reason}: {@link Refusal#tag()}); gauge {@code switchboard.requests.pending}; timers
 * {@code switchboard.requests.timeout.fired} (registration to firing, as measured by the broker) and
 * {@code switchboard.requests.timeout.overshoot} (firing minus deadline: at most one tick while the wheel keeps up).
 *
 * @param <K> the key, with value equality
 * @param <C> the context kept with the request (e.g. target connection and device id)
 * @param <R> the reply
 */
public final class PendingRequests<K, C, R> {
  private static final Logger log = LoggerFactory.getLogger(PendingRequests.class);
  private static final Executor ON_WHEEL = Runnable::run;

  private final DeadlineTimer timer;
  private final Ticker ticker;
  private final Function<? super C, ?> groupOf;
  private final int maxPending;
  private final ConcurrentHashMap<K, PendingEntry<K, C, R>> entries = new ConcurrentHashMap<>();
  private final AtomicInteger reserved = new AtomicInteger();
  private final GroupCounts groups;
  private final LateKeys<K> late;
  private final PendingMetrics metrics;

  /**
   * @param groupOf the group a request counts against, from its context; null for none
   */
  public PendingRequests(String dialect, DeadlineTimer timer, PendingLimits limits, Function<? super C, ?> groupOf,
      MeterRegistry registry) {
    this.timer = Objects.requireNonNull(timer, "timer");
    this.ticker = timer.ticker();
    this.groupOf = Objects.requireNonNull(groupOf, "groupOf");
    this.maxPending = limits.maxPending();
    this.groups = new GroupCounts(limits.maxPendingPerGroup());
    this.late = new LateKeys<>(limits.lateRetention().toNanos(), limits.maxLateKeys());
    this.metrics = new PendingMetrics(registry, Objects.requireNonNull(dialect, "dialect"), reserved::get);
  }

  /**
   * Registers a request that times out {@code deadline} from now. Its resolution goes once to {@code onResolved},
   * run on {@code executor}. Register before sending the request, so that a fast reply finds it.
   *
   * @return the pending request, or a {@link Refusal} (counted) when a bound is hit or the key is taken
   */
  public Registration register(K key, Duration deadline, C context, Executor executor,
      Consumer<? super Resolution<K, C, R>> onResolved) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(onResolved, "onResolved");
    long deadlineNanos = deadline.toNanos();
    Object group = groupOf.apply(context);
    if (!reserve()) {
      return refuse(Refusal.TOO_MANY_PENDING);
    }
    if (group != null && !groups.tryAcquire(group)) {
      reserved.decrementAndGet();
      return refuse(Refusal.TOO_MANY_IN_GROUP);
    }
    PendingEntry<K, C, R> e = new PendingEntry<>(this, key, context, group, executor, onResolved,
        ticker.nanoTime(), deadlineNanos);
    if (entries.putIfAbsent(key, e) != null) {
      release(group);
      return refuse(Refusal.DUPLICATE_KEY);
    }
    Timeout t;
    try {
      t = timer.schedule(deadlineNanos, TimeUnit.NANOSECONDS, ON_WHEEL, e);
    } catch (IllegalStateException closed) {
      if (e.claim(Outcome.FAILED)) {
        entries.remove(key, e);
        release(group);
        return refuse(Refusal.CLOSED);
      }
      return e;
    }
    e.timeout = t;
    if (e.resolved()) {
      t.cancel();
    }
    return e;
  }

  /**
   * Matches a reply to its pending request. Exactly one outcome, counted: {@link ReplyResult#COMPLETED} (the
   * request's callback gets {@code reply}), {@link ReplyResult#LATE} or {@link ReplyResult#UNKNOWN}.
   */
  public ReplyResult complete(K key, R reply) {
    PendingEntry<K, C, R> e = entries.get(key);
    if (e != null) {
      if (resolve(e, Outcome.COMPLETED, reply, null, ticker.nanoTime())) {
        metrics.completed.increment();
        dispatch(e);
        return ReplyResult.COMPLETED;
      }
      return e.outcome() == Outcome.TIMED_OUT ? late() : unmatched();
    }
    return late.contains(key, ticker.nanoTime()) ? late() : unmatched();
  }

  /** Cancels the pending request under {@code key}; its callback gets {@link Outcome#CANCELLED}. */
  public boolean cancel(K key) {
    PendingEntry<K, C, R> e = entries.get(key);
    return e != null && cancel(e);
  }

  /**
   * Fails the request pending under {@code key} at once (e.g. its reply arrived but could not be made durable); its
   * callback gets {@link Outcome#FAILED} with {@code reason}. Counted as {@code failed}.
   *
   * @return false when it had resolved already (or was never registered)
   */
  public boolean fail(K key, String reason) {
    PendingEntry<K, C, R> e = entries.get(key);
    if (e == null || !resolve(e, Outcome.FAILED, null, reason, ticker.nanoTime())) {
      return false;
    }
    metrics.failed.increment();
    dispatch(e);
    return true;
  }

  /**
   * Fails at once every pending request whose context matches (e.g. all those sent on a connection that closed);
   * each callback gets {@link Outcome#FAILED} with {@code reason}. Requests registered while this runs may be
   * missed: stop registering for the connection first.
   *
   * @return how many this call failed
   */
  public int failAll(Predicate<? super C> which, String reason) {
    int n = 0;
    long now = ticker.nanoTime();
    for (PendingEntry<K, C, R> e : entries.values()) {
      if (which.test(e.context) && resolve(e, Outcome.FAILED, null, reason, now)) {
        metrics.failed.increment();
        dispatch(e);
        n++;
      }
    }
    return n;
  }

  /** The context of the request pending under {@code key}, or null: for checks before {@link #complete}. */
  public C context(K key) {
    PendingEntry<K, C, R> e = entries.get(key);
    return e == null ? null : e.context;
  }

  /** Requests pending now. */
  public int size() {
    return reserved.get();
  }

  /** Requests pending now in {@code group}. */
  public int pendingIn(Object group) {
    return groups.count(group);
  }

  /** Timed-out keys remembered now (bounded by {@link PendingLimits#maxLateKeys()}). */
  public int lateKeys() {
    return late.size();
  }

  boolean cancel(PendingEntry<K, C, R> e) {
    if (!resolve(e, Outcome.CANCELLED, null, null, ticker.nanoTime())) {
      return false;
    }
    metrics.cancelled.increment();
    dispatch(e);
    return true;
  }

  /** The wheel fired {@code e}'s timeout at {@code firedAt}; runs on the wheel thread. */
  void expire(PendingEntry<K, C, R> e, long firedAt) {
    if (!resolve(e, Outcome.TIMED_OUT, null, null, firedAt)) {
      return;
    }
    long elapsed = e.elapsedNanos();
    metrics.timedOut.increment();
    metrics.fired.record(elapsed, TimeUnit.NANOSECONDS);
    metrics.overshoot.record(elapsed - e.deadlineNanos(), TimeUnit.NANOSECONDS);
    dispatch(e);
  }

  /**
   * Claims {@code e} for {@code outcome} and, if this call won, takes it out of the table. A timed-out key becomes
   * late before it leaves the table, so that a racing reply finds it in one or the other.
   */
  private boolean resolve(PendingEntry<K, C, R> e, Outcome outcome, R reply, String failure, long now) {
    if (!e.claim(outcome)) {
      return false;
    }
    e.settle(reply, failure, now);
    if (outcome == Outcome.TIMED_OUT) {
      late.add(e.key, now);
    } else {
      Timeout t = e.timeout;
      if (t != null) {
        t.cancel();
      }
    }
    entries.remove(e.key, e);
    release(e.group);
    return true;
  }

  private boolean reserve() {
    while (true) {
      int n = reserved.get();
      if (n >= maxPending) {
        return false;
      }
      if (reserved.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void release(Object group) {
    if (group != null) {
      groups.release(group);
    }
    reserved.decrementAndGet();
  }

  private Registration refuse(Refusal reason) {
    metrics.refused(reason);
    return reason;
  }

  private ReplyResult late() {
    metrics.late.increment();
    return ReplyResult.LATE;
  }

  private ReplyResult unmatched() {
    metrics.unmatched.increment();
    return ReplyResult.UNKNOWN;
  }

  private void dispatch(PendingEntry<K, C, R> e) {
    try {
      LoopHandOffs.execute(e.executor, e); // the store's completions batch a run of answers per loop
    } catch (RejectedExecutionException ex) {
      log.debug("resolution dropped: its executor is shut down ({})", e.outcome());
    }
  }
}
