package io.switchboard.server.bots;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The reply deadlines ({@code bots.replyDeadline}, §5.2: 7001 when the commit outlives it) of one connection's
 * requests. Every request gets the same deadline after it arrives, so deadlines fall due in arrival order: a FIFO
 * and one scheduled check replace a timer task per request (Netty's scheduled-task heap, an insert and a cancel per
 * {@code CREATE_MESSAGE}, was 3% of the loops' samples under {@code bench bots --max}). As before, deadlines keep
 * running after the connection closes: a timeout then only counts (the reply is not written). Event loop only.
 */
final class ReplyDeadlines {
  private final EventExecutor loop;
  private final long afterNanos;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** The scheduled check, or null when none is due (the queue holds no unclaimed request then). */
  private ScheduledFuture<?> check;

  /** One request's race between its answer and its deadline: whichever {@link #claim}s it first answers. */
  static final class Pending {
    private final long deadlineNanos;
    private final Runnable onTimeout;
    private boolean claimed;

    private Pending(long deadlineNanos, Runnable onTimeout) {
      this.deadlineNanos = deadlineNanos;
      this.onTimeout = onTimeout;
    }

    /** True the first time: the caller answers; false once the deadline (or an earlier claim) has answered. */
    boolean claim() {
      if (claimed) {
        return false;
      }
      claimed = true;
      return true;
    }
  }

  ReplyDeadlines(EventExecutor loop, long afterMillis) {
    this.loop = loop;
    this.afterNanos = TimeUnit.MILLISECONDS.toNanos(afterMillis);
  }

  /** Starts a request's deadline: {@code onTimeout} runs on the loop at it unless the request is claimed first. */
  Pending arm(Runnable onTimeout) {
    // Answers mostly come in order: dropping the claimed head here keeps the queue near the requests in flight.
    while (!queue.isEmpty() && queue.peekFirst().claimed) {
      queue.pollFirst();
    }
    Pending p = new Pending(loop.ticker().nanoTime() + afterNanos, onTimeout);
    queue.addLast(p);
    if (check == null) {
      check = loop.schedule(this::expire, afterNanos, TimeUnit.NANOSECONDS);
    }
    return p;
  }

  /** Requests waiting for an answer or their deadline (claimed ones may linger until the next check). */
  int size() {
    return queue.size();
  }

  private void expire() {
    check = null;
    long now = loop.ticker().nanoTime();
    Pending p;
    while ((p = queue.peekFirst()) != null) {
      if (p.claimed) {
        queue.pollFirst();
      } else if (p.deadlineNanos - now > 0) {
        check = loop.schedule(this::expire, p.deadlineNanos - now, TimeUnit.NANOSECONDS);
        return;
      } else {
        queue.pollFirst();
        p.claimed = true;
        p.onTimeout.run();
      }
    }
  }
}
