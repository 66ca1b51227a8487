package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A named stream: publish once, delivered to every current subscriber.
 *
 * <p>The publish path takes no lock: it reads a copy-on-write array of per-event-loop {@link LoopGroup}s and
 * enqueues one shared, reference-counted {@link StreamMessage} on each. Subscribing and unsubscribing replace that
 * array under a lock, off the publish path.
 *
 * <p>Ordering: messages published from one thread reach every subscriber in publish order. Streams whose order
 * must be total publish from one thread (durable streams publish from the store's completion, which is serial).
 */
public final class Stream {
  private static final LoopGroup[] NONE = new LoopGroup[0];

  private final String name;
  private final StreamClass streamClass;
  private final StreamMetrics metrics;
  private final AtomicLong lastSeq = new AtomicLong();
  private final Object lock = new Object();
  private volatile LoopGroup[] groups = NONE;

  Stream(String name, StreamClass streamClass, StreamMetrics metrics) {
    this.name = name;
    this.streamClass = streamClass;
    this.metrics = metrics;
  }

  public String name() {
    return name;
  }

  public StreamClass streamClass() {
    return streamClass;
  }

  /** The highest sequence number published so far. */
  public long lastSeq() {
    return lastSeq.get();
  }

  /**
   * Publishes {@code payload} with the next sequence number. Takes ownership of {@code payload}: it is released
   * once every subscriber has its copy. Never blocks.
   *
   * @return the message's sequence number
   */
  public long publish(ByteBuf payload) {
    return deliver(payload, lastSeq.incrementAndGet());
  }

  /**
   * Publishes {@code payload} with a sequence number the caller assigned (a durable stream's stored number).
   * Takes ownership of {@code payload}.
   */
  public long publish(ByteBuf payload, long seq) {
    lastSeq.accumulateAndGet(seq, Math::max);
    return deliver(payload, seq);
  }

  /**
   * Publishes {@code payload} with a caller-assigned sequence number to one subscriber ({@code only}, when not
   * null) or to every subscriber but {@code except} (when not null). It travels the same per-loop queues as every
   * other message, so a subscriber sees addressed and broadcast messages in publish order. Takes ownership of
   * {@code payload}.
   */
  public long publish(ByteBuf payload, long seq, Subscriber only, Subscriber except) {
    lastSeq.accumulateAndGet(seq, Math::max);
    metrics.published.increment();
    LoopGroup[] gs = groups;
    if (gs.length == 0) {
      payload.release();
      return seq;
    }
    return enqueue(gs, new StreamMessage(payload, seq, only, except), only);
  }

  private long deliver(ByteBuf payload, long seq) {
    metrics.published.increment();
    LoopGroup[] gs = groups;
    if (gs.length == 0) {
      payload.release();
      return seq;
    }
    return enqueue(gs, new StreamMessage(payload, seq), null);
  }

  private long enqueue(LoopGroup[] gs, StreamMessage m, Subscriber only) {
    long seq = m.seq();
    try {
      for (LoopGroup g : gs) {
        if (only != null && g.loop != only.eventLoop()) {
          continue;
        }
        m.retain();
        g.enqueue(m);
      }
    } finally {
      m.release();
    }
    return seq;
  }

  /** Adds {@code s}; it receives messages published from now on. */
  public Subscription subscribe(Subscriber s) {
    synchronized (lock) {
      LoopGroup[] gs = groups;
      for (LoopGroup g : gs) {
        if (g.loop == s.eventLoop()) {
          g.add(s);
          return () -> unsubscribe(s);
        }
      }
      LoopGroup g = new LoopGroup(s.eventLoop(), metrics);
      g.add(s);
      LoopGroup[] next = Arrays.copyOf(gs, gs.length + 1);
      next[gs.length] = g;
      groups = next;
    }
    return () -> unsubscribe(s);
  }

  private void unsubscribe(Subscriber s) {
    synchronized (lock) {
      LoopGroup[] gs = groups;
      for (int i = 0; i < gs.length; i++) {
        if (gs[i].remove(s)) {
          if (gs[i].isEmpty()) {
            LoopGroup[] next = new LoopGroup[gs.length - 1];
            System.arraycopy(gs, 0, next, 0, i);
            System.arraycopy(gs, i + 1, next, i, gs.length - i - 1);
            groups = next;
          }
          return;
        }
      }
    }
  }

  /** Current number of subscribers. */
  public int subscriberCount() {
    int n = 0;
    for (LoopGroup g : groups) {
      n += g.size();
    }
    return n;
  }

  StreamMetrics metrics() {
    return metrics;
  }

  @Override
  public String toString() {
    return "Stream[" + name + ", " + streamClass.name() + ", subscribers=" + subscriberCount() + "]";
  }
}
