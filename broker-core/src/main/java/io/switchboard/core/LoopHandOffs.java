package io.switchboard.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands tasks to event loops, with one submission per loop for a whole run of them when the calling thread is
 * inside {@link #batch}.
 *
 * <p>Why: the store's sync thread completes every commit one fsync covered, one after another, and each completion
 * handed its loop a task at once (a fan-out drain, an HTTP answer). The loop, running on the other core, drained each
 * as it came, so a stream's subscribers were flushed once per message rather than once per run of messages: under
 * the 10×(1→100) fan-out the broker's loops made a single-frame {@code sendto} where the baseline, whose publishes
 * arrive on the loops themselves, made one {@code writev} for many. Inside a batch the tasks wait until its end,
 * then each loop gets them in one task, in the order they were handed over.
 *
 * <p>Only the submission is deferred, never the work that precedes it: messages are already queued in order when
 * their drain is handed over. A batch must not wait for its own deferred tasks, and should stay short (the store
 * bounds its batches), since the first task waits for the last item's completion.
 */
public final class LoopHandOffs {
  private static final Logger log = LoggerFactory.getLogger(LoopHandOffs.class);
  private static final ThreadLocal<Batch> CURRENT = new ThreadLocal<>();

  private LoopHandOffs() {}

  /**
   * Runs {@code body}; what it hands over with {@link #execute} reaches each executor when the body returns (or
   * throws). Nested batches join the outermost one.
   */
  public static void batch(Runnable body) {
    if (CURRENT.get() != null) {
      body.run();
      return;
    }
    Batch b = new Batch();
    CURRENT.set(b);
    try {
      body.run();
    } finally {
      CURRENT.remove();
      b.submit();
    }
  }

  /** {@code executor.execute(task)}, or at the end of the current {@link #batch} when there is one. */
  public static void execute(Executor executor, Runnable task) {
    Batch b = CURRENT.get();
    if (b == null) {
      executor.execute(task);
    } else {
      b.add(executor, task);
    }
  }

  /** The tasks of one batch by executor; few executors (the event loops), so lists searched by identity. */
  private static final class Batch {
    private final List<Executor> executors = new ArrayList<>(4);
    private final List<List<Runnable>> tasks = new ArrayList<>(4);

    void add(Executor executor, Runnable task) {
      for (int i = 0; i < executors.size(); i++) {
        if (executors.get(i) == executor) {
          tasks.get(i).add(task);
          return;
        }
      }
      executors.add(executor);
      List<Runnable> list = new ArrayList<>(8);
      list.add(task);
      tasks.add(list);
    }

    void submit() {
      for (int i = 0; i < executors.size(); i++) {
        List<Runnable> list = tasks.get(i);
        try {
          executors.get(i).execute(list.size() == 1 ? list.get(0) : () -> runAll(list));
        } catch (RuntimeException e) {
          // A loop shutting down refuses tasks; the thread that handed them over must not die of it.
          log.debug("{} task(s) not handed over: {}", list.size(), e.toString());
        }
      }
    }

    /** Runs each task; one that throws is logged as the loop would log it, and the rest still run. */
    private static void runAll(List<Runnable> list) {
      for (Runnable task : list) {
        try {
          task.run();
        } catch (Throwable t) {
          log.warn("A task raised an exception. Task: {}", task, t);
        }
      }
    }
  }
}
