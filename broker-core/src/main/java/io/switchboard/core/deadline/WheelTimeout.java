package io.switchboard.core.deadline;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A timeout as the wheel holds it: a node of its bucket's list, plus one atomic state so that firing and
 * cancelling, which may race on different threads, settle it exactly once.
 */
final class WheelTimeout implements Timeout, Runnable {
  private static final Logger log = LoggerFactory.getLogger(WheelTimeout.class);
  private static final int PENDING = 0;
  private static final int EXPIRED = 1;
  private static final int CANCELLED = 2;
  private static final AtomicIntegerFieldUpdater<WheelTimeout> STATE =
      AtomicIntegerFieldUpdater.newUpdater(WheelTimeout.class, "state");

  private final DeadlineTimer timer;
  private final long scheduledAt;
  private final long delay;
  private final Executor executor;
  private final TimeoutTask task;
  private volatile int state;
  private long firedAt;

  // Guarded by the timer's lock.
  long tick;
  WheelBucket bucket;
  WheelTimeout prev;
  WheelTimeout next;
  WheelTimeout nextFired;

  WheelTimeout(DeadlineTimer timer, long scheduledAt, long delay, Executor executor, TimeoutTask task) {
    this.timer = timer;
    this.scheduledAt = scheduledAt;
    this.delay = delay;
    this.executor = executor;
    this.task = task;
  }

  /** Called by the wheel once it has unlinked this timeout; hands the task to its executor unless cancelled. */
  void expire(long now) {
    firedAt = now;
    if (!STATE.compareAndSet(this, PENDING, EXPIRED)) {
      return;
    }
    try {
      executor.execute(this);
    } catch (RejectedExecutionException e) {
      log.debug("deadline task dropped: its executor is shut down");
    }
  }

  /** Marks it cancelled without unlinking; the timer does that itself when it closes. */
  boolean discard() {
    return STATE.compareAndSet(this, PENDING, CANCELLED);
  }

  @Override
  public void run() {
    try {
      task.run(this);
    } catch (Throwable t) {
      log.warn("deadline task failed", t);
    }
  }

  @Override
  public boolean cancel() {
    if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
      return false;
    }
    timer.unlink(this);
    return true;
  }

  @Override
  public boolean isExpired() {
    return state == EXPIRED;
  }

  @Override
  public boolean isCancelled() {
    return state == CANCELLED;
  }

  @Override
  public long scheduledAtNanos() {
    return scheduledAt;
  }

  @Override
  public long delayNanos() {
    return delay;
  }

  @Override
  public long elapsedNanos() {
    return state == EXPIRED ? firedAt - scheduledAt : -1;
  }

  @Override
  public String toString() {
    return "Timeout[delay=" + delay + "ns, state=" + state + ']';
  }
}
