package io.switchboard.server.devices;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.server.websocket.WebSocketOpened;
import io.switchboard.server.websocket.WebSocketSession;
import java.util.concurrent.TimeUnit;

/** The event feed over WebSocket is receive-only (devices.md §5.9): a data frame closes it with 1008; pings. */
final class FeedSocketHandler extends ChannelInboundHandlerAdapter {
  private final WebSocketSession session;
  private final long pingMillis;
  private final Runnable onOpen;
  private ScheduledFuture<?> pinger;

  /** @param onOpen runs once the 101 is written (backlog replay: nothing may precede the 101) */
  FeedSocketHandler(WebSocketSession session, long pingMillis, Runnable onOpen) {
    this.session = session;
    this.pingMillis = pingMillis;
    this.onOpen = onOpen;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketOpened) {
      onOpen.run();
      pinger = ctx.executor().scheduleAtFixedRate(
          () -> ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise()), pingMillis, pingMillis,
          TimeUnit.MILLISECONDS);
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
    session.fail(CloseCodes.POLICY, "the event feed is receive-only");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pinger != null) {
      pinger.cancel(false);
    }
    super.channelInactive(ctx);
  }
}
