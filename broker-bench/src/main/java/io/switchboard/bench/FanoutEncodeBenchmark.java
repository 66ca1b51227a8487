package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.core.stream.FrameShape;
import io.switchboard.core.stream.FrameShapes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fan-out of one widgets broadcast envelope (300-byte message) to N subscribers with the broker's own frame shapes
 * ({@link FrameShapes}): encode once and hand each subscriber a {@code retainedDuplicate()} (what the broker does),
 * against encoding once per subscriber (the naive way, the baseline measured in the same run); and the same
 * encode-once fan-out written through N channel pipelines ({@link EmbeddedChannel}, one write and one flush each),
 * which adds the per-subscriber pipeline cost. Run with {@code -prof gc}: encode-once allocates one frame per
 * message plus a small duplicate object per subscriber, never a frame-sized buffer per subscriber.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanoutEncodeBenchmark {
  @Param({"100", "1000"})
  public int subscribers;

  @Param({"ws", "sse"})
  public String shape;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private FrameShape frameShape;
  private ByteBuf envelope;
  private EmbeddedChannel[] channels;
  private long seq;

  @Setup(Level.Trial)
  public void setUp() {
    frameShape = "sse".equals(shape) ? FrameShapes.SSE : FrameShapes.WS_TEXT;
    StringBuilder msg = new StringBuilder("{\"bt\":123456789012,\"bs\":1,\"p\":\"");
    while (msg.length() < 298) {
      msg.append('x');
    }
    msg.append("\"}");
    String env = "{\"stream_id\":\"bench-0\",\"author_id\":\"c6771d85-daff-481a-a8e9-5808a570e779\",\"to_user_id\":\"\","
        + "\"message\":" + msg + ",\"timestamp\":1.0,\"type\":\"broadcast\","
        + "\"widget_key\":\"6b9f652a-63fd-47d7-a3bc-418c1096eb8c\",\"seq\":123}";
    byte[] bytes = env.getBytes(StandardCharsets.UTF_8);
    envelope = alloc.directBuffer(bytes.length).writeBytes(bytes);
    channels = new EmbeddedChannel[subscribers];
    for (int i = 0; i < subscribers; i++) {
      channels[i] = new EmbeddedChannel();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    envelope.release();
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
  }

  /** The broker's way: one encoding, a retained duplicate per subscriber (released as a completed write would). */
  @Benchmark
  public long encodeOnceDuplicate() {
    ByteBuf frame = frameShape.encode(alloc, envelope, ++seq);
    long bytes = 0;
    try {
      for (int i = 0; i < subscribers; i++) {
        ByteBuf dup = frame.retainedDuplicate();
        bytes += dup.readableBytes();
        dup.release();
      }
    } finally {
      frame.release();
    }
    return bytes;
  }

  /** The baseline: the frame encoded again for every subscriber. */
  @Benchmark
  public long encodePerSubscriber() {
    long bytes = 0;
    long s = ++seq;
    for (int i = 0; i < subscribers; i++) {
      ByteBuf frame = frameShape.encode(alloc, envelope, s);
      bytes += frame.readableBytes();
      frame.release();
    }
    return bytes;
  }

  /** Encode once, then one write and one flush per subscriber through a channel pipeline. */
  @Benchmark
  public void encodeOnceToChannels(Blackhole bh) {
    ByteBuf frame = frameShape.encode(alloc, envelope, ++seq);
    try {
      for (EmbeddedChannel ch : channels) {
        ch.write(frame.retainedDuplicate(), ch.voidPromise());
        ch.flush();
      }
    } finally {
      frame.release();
    }
    for (EmbeddedChannel ch : channels) {
      ByteBuf out = ch.readOutbound();
      bh.consume(out.readableBytes());
      out.release();
    }
  }
}
