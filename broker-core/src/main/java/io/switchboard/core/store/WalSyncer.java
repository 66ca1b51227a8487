package io.switchboard.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The WAL fsync of {@link io.switchboard.core.config.Durability#BATCH}, pipelined with the store's writer: the writer
 * hands over the outcomes of each round it applied and goes on applying the next while this thread makes them
 * durable with one fsync (at most one per {@code batchInterval}), then completes them, in hand-over order. Before,
 * the writer made the fsync itself and applied nothing meanwhile; under load that was a tenth of its time, and every
 * commit waited for the next interval even when the disk was idle.
 *
 * <p>An fsync covers the writes applied before it starts, which is every write of the outcomes it takes: the writer
 * hands them over only after applying their round. A round that wrote nothing (a conflict, a failed condition) is
 * handed over all the same while earlier writes are not durable yet, because its outcome was decided by them.
 *
 * @param <T> one outcome waiting for its fsync
 */
final class WalSyncer<T> {
  static final String THREAD = "switchboard-store-sync";

  private final StorageEngine engine;
  private final long intervalNanos;
  private final StoreMetrics metrics;
  private final Consumer<List<T>> onDurable;
  private final BiConsumer<List<T>, RuntimeException> onFailed;
  private final Thread thread;

  /** A lock with a condition, not a monitor: {@code Object.wait} rounds sub-millisecond waits up to a millisecond. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private ArrayList<T> waiting = new ArrayList<>(); // guarded by lock
  private int outstanding; // handed over and not completed yet; guarded by lock
  private boolean lastSyncFailed; // applied writes may not be durable until a sync succeeds; guarded by lock
  private boolean stopping; // guarded by lock
  private volatile long lastSyncNanos; // written by the sync thread; the writer reads it to pace its rounds

  /**
   * @param onDurable completes outcomes whose fsync returned, in order; runs on the sync thread
   * @param onFailed fails outcomes whose fsync threw; runs on the sync thread
   */
  WalSyncer(StorageEngine engine, long intervalNanos, StoreMetrics metrics, Consumer<List<T>> onDurable,
      BiConsumer<List<T>, RuntimeException> onFailed) {
    this.engine = engine;
    this.intervalNanos = intervalNanos;
    this.metrics = metrics;
    this.onDurable = onDurable;
    this.onFailed = onFailed;
    this.lastSyncNanos = System.nanoTime() - intervalNanos; // idle: the first fsync goes at once
    this.thread = new Thread(this::run, THREAD);
    this.thread.setDaemon(false); // accepted writes keep the JVM alive until they are durable
    this.thread.start();
  }

  /**
   * Hands over the outcomes of one applied round. Returns false, keeping nothing, when no fsync is needed: the round
   * wrote nothing and every write before it is durable; the caller then completes them itself.
   */
  boolean handOff(List<T> outcomes, boolean wrote) {
    lock.lock();
    try {
      if (!wrote && outstanding == 0 && !lastSyncFailed) {
        return false;
      }
      boolean idle = waiting.isEmpty();
      waiting.addAll(outcomes);
      outstanding += outcomes.size();
      if (idle) {
        // Only a sync thread with nothing waiting waits without a deadline. One waiting for the interval to pass
        // learns nothing from more outcomes, and waking it is a context switch on a busy core: with commits told
        // once applied, rounds are handed over one per commit.
        changed.signal();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * When the next fsync may start ({@link System#nanoTime()}); in the past when one may start now. Outcomes cannot
   * be acknowledged before it, so the writer gathers commits until then into one round: one engine write instead of
   * many small ones.
   */
  long nextSyncNanos() {
    return lastSyncNanos + intervalNanos;
  }

  /** Whether the caller runs on the sync thread (completion callbacks do). */
  boolean isSyncThread() {
    return Thread.currentThread() == thread;
  }

  /** Makes everything handed over durable (no more waiting for the interval), completes it, and stops. */
  void stopAndJoin() {
    lock.lock();
    try {
      stopping = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (isSyncThread()) {
      return;
    }
    joinUninterruptibly(thread);
  }

  /**
   * Waits for {@code t} to end, even when interrupted (accepted writes are still being made durable); the interrupt
   * is restored afterwards.
   */
  static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<T> batch;
    while ((batch = next()) != null) {
      long start = System.nanoTime();
      lastSyncNanos = start;
      RuntimeException failure = null;
      try {
        engine.syncWal();
        metrics.synced(System.nanoTime() - start);
      } catch (RuntimeException e) {
        failure = e;
      }
      try {
        if (failure == null) {
          onDurable.accept(batch);
        } else {
          onFailed.accept(batch, failure);
        }
      } finally {
        lock.lock();
        try {
          outstanding -= batch.size();
          lastSyncFailed = failure != null;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** The outcomes the next fsync covers, once it is due; null once stopped with nothing left. */
  private List<T> next() {
    lock.lock();
    try {
      while (true) {
        if (waiting.isEmpty()) {
          if (stopping) {
            return null;
          }
          waitOn(0);
          continue;
        }
        long wait = lastSyncNanos + intervalNanos - System.nanoTime();
        if (wait > 0 && !stopping) {
          waitOn(wait);
          continue;
        }
        ArrayList<T> batch = waiting;
        waiting = new ArrayList<>(Math.max(16, batch.size()));
        return batch;
      }
    } finally {
      lock.unlock();
    }
  }

  private void waitOn(long nanos) {
    try {
      if (nanos <= 0) {
        changed.await();
      } else {
        changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      // Not a way to stop: accepted outcomes must still be made durable; stopAndJoin() ends the loop.
    }
  }
}
