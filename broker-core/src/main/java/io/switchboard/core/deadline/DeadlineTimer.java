package io.switchboard.core.deadline;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timing wheel for request deadlines: O(1) schedule and cancel, a tick of at most 10 ms, never early.
 *
 * <p>Why not Netty's {@code HashedWheelTimer}: its cancel only queues the timeout, which stays in its bucket (and
 * in memory) until the worker's next tick; it reads {@code System.nanoTime} itself, so its timing can be tested only
 * with sleeps; and it warns past 64 instances. Why not the event loop's {@code schedule}: a priority queue, O(log n)
 * per schedule and cancel, with up to rate × 8 s entries. Here every bucket is a doubly-linked list behind one short
 * lock: schedule links at the tail, cancel unlinks in place, and a cancelled timeout is garbage at once.
 *
 * <p>Precision: a timeout with deadline d is placed at the first tick boundary at or after d, and a tick is processed
 * only once the {@link Ticker} has reached its boundary. So a timeout never fires before its deadline, and fires
 * within one tick (plus the wheel thread's wake-up latency, tens of microseconds) after it while the thread keeps up.
 * The default wheel of 2048 slots × 5 ms spans 10.24 s, so an 8 s reply deadline is looked at only once.
 *
 * <p>Threads: {@link #start} owns one daemon thread that wakes at every boundary (200 wake-ups a second at 5 ms,
 * kept for its predictability) while timeouts come and go, and sleeps without a deadline once none has been pending
 * for a second: the next {@link #schedule} wakes it. A broker without device calls in flight (widgets, bots, rooms,
 * or idle) spent 0.013 cores on the empty ticks under the 1→100 fan-out load, each a wake-up on a shared core
 * (docs/PERFORMANCE.md).
 * {@link #manual} has no thread and is driven with {@link #fireDue()}.
 * The wheel thread runs no user code: each fired task is handed to the executor given at schedule time, typically
 * the event loop of the channel that waits. A direct executor ({@code Runnable::run}) is for short, non-blocking
 * bookkeeping only.
 */
public final class DeadlineTimer implements AutoCloseable {
  public static final Duration DEFAULT_TICK = Duration.ofMillis(5);
  public static final Duration MIN_TICK = Duration.ofMillis(1);
  public static final Duration MAX_TICK = Duration.ofMillis(10);
  public static final int DEFAULT_WHEEL_SIZE = 2048;
  private static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 2;
  /**
   * How long the wheel stays empty before its thread stops ticking. Not at once: at 2,000 calls a second, each
   * answered in under a millisecond, the wheel empties between calls, and waking the thread on each schedule would
   * put a futex wake on the event loop's path and a context switch per call, ten times the ticks it saves.
   */
  static final long IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long NOT_EMPTY = Long.MIN_VALUE;
  private static final Logger log = LoggerFactory.getLogger(DeadlineTimer.class);

  private final Ticker ticker;
  private final long tickNanos;
  private final long originNanos;
  private final WheelBucket[] buckets;
  private final int mask;
  private final ReentrantLock lock = new ReentrantLock();
  private final Thread thread;
  private volatile boolean running = true;

  // Guarded by lock.
  private long nextTick = 1;
  private int pending;
  private boolean closed;
  private WheelTimeout firedHead;
  private WheelTimeout firedTail;
  private boolean idle; // the wheel thread sleeps until a schedule wakes it
  private boolean scheduledSinceCheck; // set by schedule, cleared by the wheel thread's idle check
  private long idleSleeps; // times the wheel thread went to sleep without a deadline (a test hook)
  private long emptySinceNanos = NOT_EMPTY; // when the wheel thread first saw it empty; touched by that thread only

  private DeadlineTimer(Ticker ticker, Duration tick, int wheelSize, String threadName) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    if (tick.compareTo(MIN_TICK) < 0 || tick.compareTo(MAX_TICK) > 0) {
      throw new IllegalArgumentException("tick must be between 1ms and 10ms: " + tick);
    }
    if (wheelSize < 16 || wheelSize > (1 << 20) || Integer.bitCount(wheelSize) != 1) {
      throw new IllegalArgumentException("wheelSize must be a power of two in [16, 2^20]: " + wheelSize);
    }
    this.tickNanos = tick.toNanos();
    this.originNanos = ticker.nanoTime();
    this.buckets = new WheelBucket[wheelSize];
    for (int i = 0; i < wheelSize; i++) {
      buckets[i] = new WheelBucket();
    }
    this.mask = wheelSize - 1;
    if (threadName == null) {
      this.thread = null;
    } else {
      this.thread = new Thread(this::runWheel, threadName);
      thread.setDaemon(true);
    }
  }

  /** A timer on the system ticker with the default 5 ms tick, driven by its own daemon thread. */
  public static DeadlineTimer start(String threadName) {
    return start(threadName, DEFAULT_TICK, DEFAULT_WHEEL_SIZE);
  }

  /** A timer on the system ticker driven by its own daemon thread; {@code wheelSize} is a power of two. */
  public static DeadlineTimer start(String threadName, Duration tick, int wheelSize) {
    DeadlineTimer timer = new DeadlineTimer(Ticker.SYSTEM, tick, wheelSize, Objects.requireNonNull(threadName));
    timer.thread.start();
    return timer;
  }

  /** A timer without a thread: whoever owns it calls {@link #fireDue()} (tests, with a manual ticker). */
  public static DeadlineTimer manual(Ticker ticker, Duration tick, int wheelSize) {
    return new DeadlineTimer(ticker, tick, wheelSize, null);
  }

  public Ticker ticker() {
    return ticker;
  }

  public long tickNanos() {
    return tickNanos;
  }

  /** Timeouts scheduled and neither fired nor cancelled. */
  public int pending() {
    lock.lock();
    try {
      return pending;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Schedules {@code task} to run on {@code executor} once {@code delay} has passed (a negative delay counts as 0).
   * O(1); callable from any thread.
   *
   * @throws IllegalStateException if the timer is closed
   */
  public Timeout schedule(long delay, TimeUnit unit, Executor executor, TimeoutTask task) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(task, "task");
    long delayNanos = Math.min(Math.max(0, unit.toNanos(delay)), MAX_DELAY_NANOS);
    long now = ticker.nanoTime();
    WheelTimeout t = new WheelTimeout(this, now, delayNanos, executor, task);
    long target = -Math.floorDiv(-(now - originNanos + delayNanos), tickNanos);
    boolean wake;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("deadline timer closed");
      }
      t.tick = Math.max(target, nextTick);
      buckets[(int) (t.tick & mask)].add(t);
      pending++;
      scheduledSinceCheck = true;
      wake = idle;
      idle = false;
    } finally {
      lock.unlock();
    }
    if (wake) {
      LockSupport.unpark(thread);
    }
    return t;
  }

  /**
   * Fires every timeout whose tick boundary the ticker has reached, handing each task to its executor.
   * Called by the timer's own thread; call it yourself only on a {@link #manual} timer.
   *
   * @return the number of timeouts fired (cancelled ones not counted)
   */
  public int fireDue() {
    if (thread != null && Thread.currentThread() != thread) {
      throw new IllegalStateException("this timer is driven by its own thread");
    }
    long now = ticker.nanoTime();
    long dueTick = Math.floorDiv(now - originNanos, tickNanos);
    WheelTimeout fired;
    lock.lock();
    try {
      if (dueTick < nextTick) {
        return 0;
      }
      if (pending > 0) {
        if (dueTick - nextTick >= buckets.length) {
          for (WheelBucket b : buckets) {
            collect(b, dueTick);
          }
        } else {
          for (long k = nextTick; k <= dueTick; k++) {
            collect(buckets[(int) (k & mask)], k);
          }
        }
      }
      nextTick = dueTick + 1;
      fired = firedHead;
      firedHead = null;
      firedTail = null;
    } finally {
      lock.unlock();
    }
    int count = 0;
    while (fired != null) {
      WheelTimeout next = fired.nextFired;
      fired.nextFired = null;
      if (!fired.isCancelled()) {
        fired.expire(now);
        count += fired.isExpired() ? 1 : 0;
      }
      fired = next;
    }
    return count;
  }

  /** Moves the entries of {@code b} due by {@code upToTick} to the fired list, in schedule order. */
  private void collect(WheelBucket b, long upToTick) {
    WheelTimeout t = b.head;
    while (t != null) {
      WheelTimeout next = t.next;
      if (t.tick <= upToTick) {
        b.remove(t);
        pending--;
        if (firedTail == null) {
          firedHead = t;
        } else {
          firedTail.nextFired = t;
        }
        firedTail = t;
      }
      t = next;
    }
  }

  void unlink(WheelTimeout t) {
    lock.lock();
    try {
      if (t.bucket != null) {
        t.bucket.remove(t);
        pending--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Test hook: how many times the wheel thread has gone to sleep without a deadline. */
  long idleSleeps() {
    lock.lock();
    try {
      return idleSleeps;
    } finally {
      lock.unlock();
    }
  }

  /** Test hook: the number of timeouts in the bucket {@code t} sits in, or -1 if it sits in none. */
  int bucketSizeOf(Timeout t) {
    lock.lock();
    try {
      WheelBucket b = ((WheelTimeout) t).bucket;
      return b == null ? -1 : b.size;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the timer: its thread ends, later {@link #schedule} calls throw, and pending timeouts are cancelled
   * without running (resolve what waits on them first, e.g. {@link PendingRequests#failAll}). Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (WheelBucket b : buckets) {
        while (b.head != null) {
          WheelTimeout t = b.head;
          b.remove(t);
          t.discard();
        }
      }
      pending = 0;
    } finally {
      lock.unlock();
    }
    running = false;
    if (thread != null && Thread.currentThread() != thread) {
      LockSupport.unpark(thread);
      try {
        thread.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void runWheel() {
    while (running) {
      if (sleptWhileIdle()) {
        continue;
      }
      long wait = originNanos + nextTick * tickNanos - ticker.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
        continue;
      }
      try {
        fireDue();
      } catch (Throwable t) {
        log.error("deadline wheel tick failed", t);
      }
    }
  }

  /**
   * With nothing scheduled or pending for {@link #IDLE_AFTER_NANOS}, sleeps until {@link #schedule} or
   * {@link #close} wakes it (or a spurious wake-up), and returns true; returns false at once otherwise. A schedule
   * between the check and the park leaves its unpark's permit, so the park returns at once. The tick boundaries
   * slept through had nothing to fire, and the next {@link #fireDue} catches up on them in one pass.
   */
  private boolean sleptWhileIdle() {
    lock.lock();
    try {
      if (pending > 0 || scheduledSinceCheck || closed) {
        scheduledSinceCheck = false; // a timeout scheduled and resolved between two checks counts as activity
        emptySinceNanos = NOT_EMPTY;
        return false;
      }
      long now = ticker.nanoTime();
      if (emptySinceNanos == NOT_EMPTY) {
        emptySinceNanos = now;
      }
      if (now - emptySinceNanos < IDLE_AFTER_NANOS) {
        return false;
      }
      idle = true;
      idleSleeps++;
      emptySinceNanos = NOT_EMPTY;
    } finally {
      lock.unlock();
    }
    LockSupport.park(this);
    return true;
  }
}
