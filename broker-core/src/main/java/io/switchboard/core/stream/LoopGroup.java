package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.core.LoopHandOffs;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The subscribers of one stream that live on one event loop. A publish enqueues the message here (MPSC, no lock)
 * and schedules at most one drain task; the drain writes every queued message to every subscriber and then ends
 * the batch once per subscriber, so a burst of publishes costs one task and one flush per subscriber.
 *
 * <p>The drain frames each message once per {@link FrameShape} on this loop, not once per process: every
 * subscriber's {@code retainedDuplicate()} and its release after the write update the frame's reference count, and
 * a frame shared by two loops would bounce that count's cache line between their cores on every delivery (a JFR
 * profile of the 1→100 fan-out put a quarter of the loops' samples there). One extra copy per loop per message is
 * far cheaper than a contended update per subscriber.
 */
final class LoopGroup implements Runnable {
  private static final Subscriber[] NONE = new Subscriber[0];

  final EventLoop loop;
  private final StreamMetrics metrics;
  private final Queue<StreamMessage> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** This drain's frames of the current message, by shape id; loop-confined, released after each message. */
  private final ByteBuf[] frames = new ByteBuf[FrameShape.MAX_SHAPES];
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
      LoopHandOffs.execute(loop, this);
    }
  }

  @Override
  public void run() {
    Subscriber[] subs = subscribers;
    long delivered = 0;
    StreamMessage m;
    while ((m = queue.poll()) != null) {
      try {
        boolean addressed = m.isAddressed();
        for (Subscriber s : subs) {
          if (!addressed || m.isFor(s)) {
            s.onFrame(frame(m, s.shape()).retainedDuplicate(), m.seq());
            delivered++;
          }
        }
      } finally {
        releaseFrames();
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

  /** {@code m} framed as {@code shape}, encoded on first use in this drain (the drain keeps the reference). */
  private ByteBuf frame(StreamMessage m, FrameShape shape) {
    int i = shape.id();
    ByteBuf f = frames[i];
    if (f == null) {
      f = shape.encode(ByteBufAllocator.DEFAULT, m.payload(), m.seq());
      frames[i] = f;
    }
    return f;
  }

  private void releaseFrames() {
    for (int i = 0; i < frames.length; i++) {
      ByteBuf f = frames[i];
      if (f != null) {
        frames[i] = null;
        f.release();
      }
    }
  }
}
