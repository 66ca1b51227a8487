package io.switchboard.bench.harness.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Feeds the text frames of a WebSocket subscription (after Netty's client handshake) to its {@link Subscription}. */
public final class WsSubscriberHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final Subscription sub;
  private final boolean readyOnHandshake;

  /** A subscription made ready by its first frame (widgets' {@code init}). */
  public WsSubscriberHandler(Subscription sub) {
    this(sub, false);
  }

  /** @param readyOnHandshake ready at the 101 (feeds that send nothing first), not at the first frame */
  public WsSubscriberHandler(Subscription sub, boolean readyOnHandshake) {
    this.sub = sub;
    this.readyOnHandshake = readyOnHandshake;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      sub.onEvent(frame.content());
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (readyOnHandshake && evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      sub.readyWithoutEvent();
    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      sub.onFailure(new IllegalStateException("WebSocket handshake timed out"));
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    sub.onClosed();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    sub.onFailure(cause);
    ctx.close();
  }
}
