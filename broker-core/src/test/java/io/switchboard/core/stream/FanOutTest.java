package io.switchboard.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.CharsetUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fan-out on embedded channels: deterministic, one event loop per channel. */
class FanOutTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Streams streams = new Streams(registry);

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, CharsetUtil.UTF_8);
  }

  private static List<String> drainOutbound(EmbeddedChannel ch) {
    List<String> out = new ArrayList<>();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      // strip the 2-byte WebSocket header of these small frames
      out.add(b.toString(b.readerIndex() + 2, b.readableBytes() - 2, CharsetUtil.UTF_8));
      b.release();
    }
    return out;
  }

  @Test
  void publish_whenManySubscribersPerLoop_thenEachGetsDuplicateOfTheirLoopsOneEncoding() {
    Stream s = streams.stream("news");
    EmbeddedChannel loopA = new EmbeddedChannel();
    EmbeddedChannel loopB = new EmbeddedChannel();
    List<RecordingSubscriber> onA = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      onA.add(new RecordingSubscriber(loopA.eventLoop()));
    }
    RecordingSubscriber onB = new RecordingSubscriber(loopB.eventLoop());
    onA.forEach(s::subscribe);
    s.subscribe(onB);

    s.publish(text("hello"));
    loopA.runPendingTasks();
    loopB.runPendingTasks();

    List<ByteBuf> frames = new ArrayList<>();
    onA.forEach(c -> frames.addAll(c.frames));
    assertThat(frames).hasSize(5);
    assertThat(onB.frames).hasSize(1);
    ByteBuf first = root(frames.get(0));
    assertThat(first).as("a duplicate of a shared encoding").isNotSameAs(frames.get(0));
    for (ByteBuf f : frames) {
      assertThat(f.toString(CharsetUtil.UTF_8)).endsWith("hello");
      assertThat(root(f)).as("one encoding shared by the loop's subscribers").isSameAs(first);
    }
    ByteBuf other = root(onB.frames.get(0));
    assertThat(other).as("each loop frames the message itself: no reference count shared across cores")
        .isNotSameAs(first);
    frames.forEach(ByteBuf::release);
    onB.frames.forEach(ByteBuf::release);
    assertThat(first.refCnt()).as("the loop's encoding is released with its last duplicate").isZero();
    assertThat(other.refCnt()).isZero();
    assertThat(loopA.finish()).isFalse();
    assertThat(loopB.finish()).isFalse();
  }

  @Test
  void writeFrom_skipsTheHandlersUpToTheNamedOne_andDropsFramesWhileClosed() {
    Stream s = streams.stream("direct");
    java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger seenByGate = new java.util.concurrent.atomic.AtomicInteger();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast("gate", new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
        seenByGate.incrementAndGet();
        ctx.write(msg, promise);
      }
    });
    ch.pipeline().addLast(new ChannelSubscriber(s, FrameShapes.WS_TEXT, c -> {}).writeFrom("gate", open::get));

    s.publish(text("one"));
    ch.runPendingTasks();
    assertThat(drainOutbound(ch)).containsExactly("one");
    assertThat(seenByGate).as("written from the gate's context: the gate itself is skipped").hasValue(0);

    open.set(false);
    s.publish(text("two"));
    ch.runPendingTasks();
    assertThat(drainOutbound(ch)).as("dropped (and released) while closed").isEmpty();
    assertThat(ch.finish()).isFalse();
  }

  /** The buffer under every duplicate and leak-detection wrapper. */
  private static ByteBuf root(ByteBuf b) {
    while (b.unwrap() != null) {
      b = b.unwrap();
    }
    return b;
  }

  @Test
  void publish_whenNoSubscribers_thenReleasesPayload() {
    ByteBuf p = text("x");
    streams.stream("empty").publish(p);
    assertThat(p.refCnt()).isZero();
  }

  @Test
  void publish_whenBurst_thenOneFlushPerSubscriberBatch() {
    Stream s = streams.stream("burst");
    EmbeddedChannel ch = new EmbeddedChannel();
    int[] flushes = {0};
    ch.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void flush(ChannelHandlerContext ctx) {
        flushes[0]++;
        ctx.flush();
      }
    });
    ch.pipeline().addLast(new ChannelSubscriber(s, FrameShapes.WS_TEXT, c -> {}));
    for (int i = 0; i < 10; i++) {
      s.publish(text("m" + i));
    }
    ch.runPendingTasks();
    assertThat(drainOutbound(ch)).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    assertThat(flushes[0]).isEqualTo(1);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void slowConsumer_whenDropOldest_thenKeepsNewestAndCounts() {
    Stream s = streams.stream("drop", new StreamClass("test-drop", SlowConsumerPolicy.DROP_OLDEST, 3));
    EmbeddedChannel ch = new EmbeddedChannel(new ChannelSubscriber(s, FrameShapes.WS_TEXT, c -> {}));
    ChannelSubscriber sub = ch.pipeline().get(ChannelSubscriber.class);
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    for (int i = 0; i < 5; i++) {
      s.publish(text("m" + i));
    }
    ch.runPendingTasks();
    assertThat(sub.queued()).isEqualTo(3);
    assertThat(drainOutbound(ch)).isEmpty();
    assertThat(registry.get("switchboard.stream.dropped").tag("class", "test-drop").counter().count())
        .isEqualTo(2);

    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    ch.runPendingTasks();
    assertThat(drainOutbound(ch)).containsExactly("m2", "m3", "m4");
    assertThat(sub.queued()).isZero();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void slowConsumer_whenDisconnectPolicy_thenCallsDisconnectOnceAndUnsubscribes() {
    Stream s = streams.stream("disc", new StreamClass("test-disc", SlowConsumerPolicy.DISCONNECT, 2));
    int[] disconnects = {0};
    EmbeddedChannel slow = new EmbeddedChannel(new ChannelSubscriber(s, FrameShapes.WS_TEXT, c -> {
      disconnects[0]++;
      c.close();
    }));
    EmbeddedChannel fast = new EmbeddedChannel(new ChannelSubscriber(s, FrameShapes.WS_TEXT, c -> {}));
    slow.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    for (int i = 0; i < 6; i++) {
      s.publish(text("m" + i));
    }
    slow.runPendingTasks();
    fast.runPendingTasks();
    assertThat(disconnects[0]).isEqualTo(1);
    assertThat(slow.isOpen()).isFalse();
    assertThat(drainOutbound(fast)).hasSize(6);
    assertThat(s.subscriberCount()).isEqualTo(1);
    assertThat(registry.get("switchboard.stream.slow_consumer_disconnects").tag("class", "test-disc").counter()
        .count()).isEqualTo(1);
    slow.finishAndReleaseAll();
    assertThat(fast.finish()).isFalse();
  }

  @Test
  void skipThrough_dropsFramesAlreadySentFromBacklog() {
    Stream s = streams.stream("resume");
    ChannelSubscriber sub = new ChannelSubscriber(s, FrameShapes.WS_TEXT, c -> {});
    sub.skipThrough(2);
    EmbeddedChannel ch = new EmbeddedChannel(sub);
    s.publish(text("a"), 1);
    s.publish(text("b"), 2);
    s.publish(text("c"), 3);
    ch.runPendingTasks();
    assertThat(drainOutbound(ch)).containsExactly("c");
    assertThat(s.lastSeq()).isEqualTo(3);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void inProcessListener_receivesRawPayload() {
    EmbeddedChannel loopOwner = new EmbeddedChannel();
    List<String> got = new ArrayList<>();
    try (Subscription sub = streams.subscribe("in-proc", loopOwner.eventLoop(),
        (name, seq, payload) -> got.add(name + "#" + seq + ":" + payload.toString(CharsetUtil.UTF_8)))) {
      streams.publish("in-proc", text("one"));
      streams.publish("in-proc", text("two"));
      loopOwner.runPendingTasks();
    }
    assertThat(got).containsExactly("in-proc#1:one", "in-proc#2:two");
    ByteBuf after = text("three");
    streams.publish("in-proc", after);
    assertThat(after.refCnt()).as("no subscriber left").isZero();
    assertThat(loopOwner.finish()).isFalse();
  }
}
