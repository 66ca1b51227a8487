package io.switchboard.codec.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadIdleHandlerTest {
  private final List<Object> events = new ArrayList<>();

  private EmbeddedChannel channel(long timeoutMillis) {
    // Time is frozen before the handler starts its timer: the test then owns every nanosecond that passes.
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(new ReadIdleHandler(timeoutMillis), new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        events.add(evt);
      }
    });
    return ch;
  }

  private static void advance(EmbeddedChannel ch, long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  @Test
  void silence_firesFirstReaderIdle_thenOnePerFurtherTimeout() {
    EmbeddedChannel ch = channel(1000);
    advance(ch, 999);
    assertThat(events).isEmpty();
    advance(ch, 1);
    assertThat(events).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    advance(ch, 1000);
    assertThat(events).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT,
        IdleStateEvent.READER_IDLE_STATE_EVENT);
    ch.finishAndReleaseAll();
  }

  @Test
  void reads_postponeTheEvent_byAFullTimeoutFromTheLastRead() {
    EmbeddedChannel ch = channel(1000);
    advance(ch, 600);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
    advance(ch, 600);
    assertThat(events).as("read 600 ms ago").isEmpty();
    advance(ch, 400);
    assertThat(events).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {2}));
    advance(ch, 1000);
    assertThat(events).as("a read starts a new idle period: the first event again")
        .containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT, IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    ch.finishAndReleaseAll();
  }

  @Test
  void closedOrRemoved_firesNothing() {
    EmbeddedChannel ch = channel(1000);
    ch.pipeline().removeFirst();
    advance(ch, 5000);
    EmbeddedChannel closed = channel(1000);
    closed.close();
    advance(closed, 5000);
    assertThat(events).isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test
  void outboundWrites_skipIt() {
    // Not an outbound handler: Netty's handler mask skips it on the way out, so a write costs it nothing.
    assertThat(io.netty.channel.ChannelOutboundHandler.class.isAssignableFrom(ReadIdleHandler.class)).isFalse();
  }

  @Test
  void timeoutMustBePositive() {
    assertThatThrownBy(() -> new ReadIdleHandler(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
