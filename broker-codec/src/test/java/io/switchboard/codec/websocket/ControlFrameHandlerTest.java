package io.switchboard.codec.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.CharsetUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ControlFrameHandlerTest {
  private final List<Integer> brokerCloses = new ArrayList<>();
  private final List<Object> events = new ArrayList<>();

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(new ControlFrameHandler(1_000, brokerCloses::add),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
          }
        });
  }

  @Test
  void read_whenPing_thenAnswersPongWithSamePayload() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("abc", CharsetUtil.UTF_8)));
    PongWebSocketFrame pong = ch.readOutbound();
    assertThat(pong.content().toString(CharsetUtil.UTF_8)).isEqualTo("abc");
    pong.release();
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void read_whenPong_thenFiresActivityAndReleases() {
    EmbeddedChannel ch = channel();
    PongWebSocketFrame pong = new PongWebSocketFrame(Unpooled.copiedBuffer("x", CharsetUtil.UTF_8));
    ch.writeInbound(pong);
    assertThat(pong.refCnt()).isZero();
    assertThat(events).containsExactly(ControlFrameHandler.PeerActivity.PONG);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void read_whenPeerCloses_thenEchoesItsCodeAndClosesTcp() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new CloseWebSocketFrame(4321, "bye"));
    CloseWebSocketFrame reply = ch.readOutbound();
    assertThat(reply.statusCode()).isEqualTo(4321);
    assertThat(reply.reasonText()).isEmpty();
    reply.release();
    assertThat(ch.isOpen()).isFalse();
    assertThat(brokerCloses).as("an echo is not a broker-initiated close").isEmpty();
  }

  @Test
  void read_whenPeerClosesWithEmptyBody_thenAnswersEmptyClose() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER));
    CloseWebSocketFrame reply = ch.readOutbound();
    assertThat(reply.content().readableBytes()).isZero();
    reply.release();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void read_whenDataAfterOurClose_thenDropsIt() {
    EmbeddedChannel ch = channel();
    ch.pipeline().get(ControlFrameHandler.class).close(CloseCodes.GOING_AWAY, "server shutting down");
    ((CloseWebSocketFrame) ch.readOutbound()).release();
    TextWebSocketFrame late = new TextWebSocketFrame("late");
    ch.writeInbound(late);
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(late.refCnt()).isZero();
    ch.finishAndReleaseAll();
  }

  @Test
  void close_whenBrokerInitiates_thenSendsCodeCountsAndWaitsForPeer() {
    EmbeddedChannel ch = channel();
    ControlFrameHandler h = ch.pipeline().get(ControlFrameHandler.class);
    h.close(CloseCodes.GOING_AWAY, "server shutting down");
    CloseWebSocketFrame sent = ch.readOutbound();
    assertThat(sent.statusCode()).isEqualTo(1001);
    assertThat(sent.reasonText()).isEqualTo("server shutting down");
    sent.release();
    assertThat(brokerCloses).containsExactly(1001);
    assertThat(ch.isOpen()).as("waits for the peer's close").isTrue();

    // Nothing may follow our close frame.
    ByteBuf data = Unpooled.copiedBuffer("after", CharsetUtil.UTF_8);
    ch.writeOutbound(data);
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(data.refCnt()).isZero();

    ch.writeInbound(new CloseWebSocketFrame(1001, ""));
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void close_whenPeerNeverAnswers_thenClosesTcpAtTimeout() throws Exception {
    EmbeddedChannel ch = channel();
    ch.pipeline().get(ControlFrameHandler.class).close(CloseCodes.REPLACED, "replaced by a newer connection");
    ((CloseWebSocketFrame) ch.readOutbound()).release();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(1_001, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void fail_thenSendsCodeAndClosesAtOnce() {
    EmbeddedChannel ch = channel();
    ch.pipeline().get(ControlFrameHandler.class).fail(CloseCodes.TOO_BIG, "message too big");
    CloseWebSocketFrame sent = ch.readOutbound();
    assertThat(sent.statusCode()).isEqualTo(1009);
    sent.release();
    assertThat(ch.isOpen()).isFalse();
    assertThat(brokerCloses).containsExactly(1009);
  }

  @Test
  void read_whenTextFrame_thenPassesThrough() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new TextWebSocketFrame("hello"));
    TextWebSocketFrame f = ch.readInbound();
    assertThat(f.text()).isEqualTo("hello");
    f.release();
    assertThat(ch.finish()).isFalse();
  }
}
