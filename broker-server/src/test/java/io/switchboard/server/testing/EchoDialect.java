package io.switchboard.server.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.config.TlsConfig;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.dialect.ListenerSpec;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.pipeline.HandlerNames;
import io.switchboard.server.websocket.WebSocketSessionSpec;
import java.util.List;

/**
 * Test-only dialect: echoes every WebSocket message on a listener of its own, through the broker's real pipeline.
 * Registered only by test code (the Autobahn server and pipeline tests); never part of the binary.
 */
public final class EchoDialect implements Dialect {
  private final String host;
  private final int port;
  private final int maxFrame;
  private final int maxMessage;
  private DialectContext ctx;

  public EchoDialect(String host, int port, int maxFrame, int maxMessage) {
    this.host = host;
    this.port = port;
    this.maxFrame = maxFrame;
    this.maxMessage = maxMessage;
  }

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public void start(DialectContext context) {
    this.ctx = context;
  }

  @Override
  public List<ListenerSpec> listeners() {
    return List.of(new ListenerSpec(host, port, TlsConfig.disabled()));
  }

  @Override
  public boolean claimsRootUpgrade(HttpExchange exchange) {
    return "echo".equals(exchange.header("x-test-dialect"));
  }

  @Override
  public void upgradeAtRoot(HttpExchange ex) {
    ctx.upgrader().upgrade(ex, new WebSocketSessionSpec("echo", List.of(), maxFrame, maxMessage, null,
        (p, session) -> p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, new Echo())));
  }

  /** Writes each assembled message back. */
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
        ctx.writeAndFlush(msg, ctx.voidPromise());
      } else {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
