package io.switchboard.bench.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline's streams and their subscribers, grouped by event loop: a broadcast encodes its WebSocket frame and
 * its SSE event once, then queues a {@code retainedDuplicate()} of each to every event loop that has subscribers;
 * that loop writes a duplicate to each writable subscriber and flushes each once per batch (a subscriber that is
 * not writable misses the message: the baseline keeps no queue). The minimum any broker has to do for a fan-out.
 */
final class FanoutRegistry {
  private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();

  Topic topic(String stream) {
    return topics.computeIfAbsent(stream, Topic::new);
  }

  /** One stream: its sequence and its subscribers per event loop. */
  static final class Topic {
    final String stream;
    /**
     * The user every subscriber of the topic is, and so the author of every broadcast: a UUID, as the broker's
     * user ids are, so that the delivered envelope has the broker's size and the same bytes before the message.
     */
    final String user = java.util.UUID.randomUUID().toString();
    final AtomicLong seq = new AtomicLong();
    final AtomicInteger viewers = new AtomicInteger();
    private final ConcurrentHashMap<EventLoop, LoopSubscribers> loops = new ConcurrentHashMap<>();

    Topic(String stream) {
      this.stream = stream;
    }

    /** Adds a subscriber (called on its own loop); it is removed when it closes. */
    void add(Channel ch, boolean sse) {
      LoopSubscribers ls = loops.computeIfAbsent(ch.eventLoop(), LoopSubscribers::new);
      List<Channel> list = sse ? ls.sse : ls.ws;
      list.add(ch);
      viewers.incrementAndGet();
      ch.closeFuture().addListener(f -> {
        list.remove(ch);
        viewers.decrementAndGet();
      });
    }

    /** Broadcasts {@code envelope} (not consumed) as one WebSocket text frame and one SSE event. */
    void broadcast(ByteBufAllocator alloc, ByteBuf envelope, long seq) {
      ByteBuf ws = wsFrame(alloc, envelope);
      ByteBuf sse = alloc.directBuffer(envelope.readableBytes() + 32);
      sse.writeCharSequence("id: " + seq + "\ndata: ", StandardCharsets.US_ASCII);
      sse.writeBytes(envelope, envelope.readerIndex(), envelope.readableBytes());
      sse.writeCharSequence("\n\n", StandardCharsets.US_ASCII);
      try {
        for (LoopSubscribers ls : loops.values()) {
          ls.enqueue(ws.retainedDuplicate(), sse.retainedDuplicate());
        }
      } finally {
        ws.release();
        sse.release();
      }
    }
  }

  /** A server-to-client text frame (unmasked, FIN) around {@code payload}, encoded once. */
  static ByteBuf wsFrame(ByteBufAllocator alloc, ByteBuf payload) {
    int len = payload.readableBytes();
    ByteBuf f = alloc.directBuffer(len + 10);
    f.writeByte(0x81);
    if (len < 126) {
      f.writeByte(len);
    } else if (len < 65536) {
      f.writeByte(126).writeShort(len);
    } else {
      f.writeByte(127).writeLong(len);
    }
    return f.writeBytes(payload, payload.readerIndex(), len);
  }

  /**
   * The subscribers of one stream on one event loop; the lists are touched only on that loop. Broadcasts from any
   * thread go through an MPSC queue drained by at most one scheduled task, which writes every queued frame and then
   * flushes each subscriber once: one flush per batch, as the broker does.
   */
  static final class LoopSubscribers {
    final EventLoop loop;
    final List<Channel> ws = new ArrayList<>();
    final List<Channel> sse = new ArrayList<>();
    private final java.util.Queue<ByteBuf[]> queue = io.netty.util.internal.PlatformDependent.newMpscQueue();
    private final java.util.concurrent.atomic.AtomicBoolean scheduled =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drain = this::drain;

    LoopSubscribers(EventLoop loop) {
      this.loop = loop;
    }

    /** Queues one broadcast (takes ownership of both buffers) and schedules a drain if none is pending. */
    void enqueue(ByteBuf wsFrame, ByteBuf sseEvent) {
      queue.add(new ByteBuf[] {wsFrame, sseEvent});
      if (scheduled.compareAndSet(false, true)) {
        loop.execute(drain);
      }
    }

    private void drain() {
      scheduled.set(false);
      ByteBuf[] next;
      while ((next = queue.poll()) != null) {
        try {
          write(ws, next[0]);
          write(sse, next[1]);
        } finally {
          next[0].release();
          next[1].release();
        }
      }
      flush(ws);
      flush(sse);
    }

    private static void write(List<Channel> subs, ByteBuf frame) {
      for (int i = 0; i < subs.size(); i++) {
        Channel ch = subs.get(i);
        if (ch.isWritable()) {
          ch.write(frame.retainedDuplicate(), ch.voidPromise());
        }
      }
    }

    private static void flush(List<Channel> subs) {
      for (int i = 0; i < subs.size(); i++) {
        subs.get(i).flush();
      }
    }
  }
}
