package io.switchboard.server.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.core.stream.ChannelSubscriber;
import io.switchboard.core.stream.FrameShapes;
import io.switchboard.core.stream.SlowConsumerPolicy;
import io.switchboard.core.stream.Stream;
import io.switchboard.core.stream.StreamClass;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.pipeline.HandlerNames;
import io.switchboard.server.websocket.WebSocketSessionSpec;
import java.util.List;

/**
 * Test-only dialect exposing core streams over WebSocket at {@code /test/streams/{name}}: the socket subscribes to
 * the stream, and each text message it sends is published to it (zero-copy: the frame's own buffer). Query
 * {@code ?policy=disconnect} selects a disconnect-on-slow class with a small queue; {@code drop} a drop-oldest one.
 * Until the dialects arrive this is how tests publish and subscribe over sockets; never part of the binary.
 */
public final class StreamTestDialect implements Dialect {
  public static final StreamClass DISCONNECT = new StreamClass("test-disconnect", SlowConsumerPolicy.DISCONNECT, 64);
  public static final StreamClass DROP = new StreamClass("test-drop", SlowConsumerPolicy.DROP_OLDEST, 64);

  private DialectContext ctx;

  @Override
  public String name() {
    return "test-streams";
  }

  @Override
  public void start(DialectContext context) {
    this.ctx = context;
    context.routes().prefix("/test/streams/", name(), this::serve);
  }

  private void serve(HttpExchange ex) {
    if (!ex.isWebSocketUpgrade()) {
      ex.respondError(HttpResponseStatus.BAD_REQUEST, "websocket_required");
      return;
    }
    String name = ex.path().substring("/test/streams/".length());
    StreamClass cls = "disconnect".equals(ex.query("policy")) ? DISCONNECT : DROP;
    Stream stream = ctx.broker().streams().stream(name, cls);
    ctx.upgrader().upgrade(ex, new WebSocketSessionSpec(name(), List.of(), 1 << 16, 1 << 16, null, (p, session) -> {
      p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
          if (msg instanceof TextWebSocketFrame f) {
            stream.publish(f.content()); // ownership of the frame's buffer passes to the stream
          } else {
            ReferenceCountUtil.release(msg);
          }
        }
      });
      p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SUBSCRIBER, new ChannelSubscriber(stream, FrameShapes.WS_TEXT,
          c -> session.fail(CloseCodes.POLICY, "slow consumer")));
    }));
  }
}
