package io.switchboard.core.stream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The subscribers of one stream that live on one event loop. A publish enqueues the message here (MPSC, no lock)
 * and schedules at most one drain task; the drain writes every queued message to every subscriber and then ends
 * the batch once per subscriber, so a burst of publishes costs one task and one flush per subscriber.
 */
final class LoopGroup implements Runnable {
  private static final Subscriber[] NONE = new Subscriber[0];

  final EventLoop loop;
  private final StreamMetrics metrics;
  private final Queue<StreamMessage> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile Subscriber[] subscribers = NONE; // copy-on-write; mutated under the stream's lock

  LoopGroup(EventLoop loop, StreamMetrics metrics) {
    this.loop = loop;
    this.metrics = metrics;
  }

  boolean isEmpty() {
    return subscribers.length == 0;
  }

  int size() {
    return subscribers.length;
  }

  void add(Subscriber s) {
    Subscriber[] cur = subscribers;
    Subscriber[] next = Arrays.copyOf(cur, cur.length + 1);
    next[cur.length] = s;
    subscribers = next;
  }

  boolean remove(Subscriber s) {
    Subscriber[] cur = subscribers;
    for (int i = 0; i < cur.length; i++) {
      if (cur[i] == s) {
        Subscriber[] next = new Subscriber[cur.length - 1];
        System.arraycopy(cur, 0, next, 0, i);
        System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
        subscribers = next;
        return true;
      }
    }
    return false;
  }

  /** Takes one reference of {@code m}. Called from any thread. */
  void enqueue(StreamMessage m) {
    queue.offer(m);
    if (scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    Subscriber[] subs = subscribers;
    long delivered = 0;
    StreamMessage m;
    while ((m = queue.poll()) != null) {
      try {
        if (m.isAddressed()) {
          for (Subscriber s : subs) {
            if (m.isFor(s)) {
              s.onFrame(m.frame(s.shape(), ByteBufAllocator.DEFAULT).retainedDuplicate(), m.seq());
              delivered++;
            }
          }
        } else {
          for (Subscriber s : subs) {
            s.onFrame(m.frame(s.shape(), ByteBufAllocator.DEFAULT).retainedDuplicate(), m.seq());
          }
          delivered += subs.length;
        }
      } finally {
        m.release();
      }
    }
    for (Subscriber s : subs) {
      s.onBatchEnd();
    }
    metrics.delivered.increment(delivered);
    scheduled.set(false);
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }
}
