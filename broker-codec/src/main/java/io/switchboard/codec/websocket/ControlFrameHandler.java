package io.switchboard.codec.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The WebSocket control protocol of RFC 6455 §5.5 and the closing handshake of §7, after the frame decoder and
 * UTF-8 validator and before message aggregation.
 *
 * <ul>
 *   <li>Ping: answered at once with a pong carrying the same payload.
 *   <li>Pong: released; {@link PeerActivity#PONG} is fired so keepalive logic can see it.
 *   <li>Close from the peer: echoed with the peer's status code (or an empty body for an empty one), then the TCP
 *       connection is closed by us, as §7.1.1 prefers. The frame decoder has already validated the body (length,
 *       code range, UTF-8 reason) and raised 1002/1007 otherwise, which Netty's stock handler answers with 1000.
 *   <li>Closes we start ({@link #close}, {@link #fail}): one close frame, then no more data frames go out (they
 *       are dropped here); a graceful close waits up to the close timeout for the peer's close frame.
 * </ul>
 *
 * <p>Every close the broker starts is reported to the listener given at construction, for metrics.
 */
public final class ControlFrameHandler extends ChannelDuplexHandler {

  /** Events fired downstream for liveness tracking. */
  public enum PeerActivity {
    PONG
  }

  private final long closeTimeoutMillis;
  private final IntConsumer brokerCloseListener;
  private ChannelHandlerContext ctx;
  private boolean closeSent;
  private boolean closeReceived;
  private ScheduledFuture<?> closeTimer;

  /**
   * @param closeTimeoutMillis how long a graceful close waits for the peer's close frame before closing TCP
   * @param brokerCloseListener told the code of every close frame the broker sends on its own initiative
   */
  public ControlFrameHandler(long closeTimeoutMillis, IntConsumer brokerCloseListener) {
    this.closeTimeoutMillis = closeTimeoutMillis;
    this.brokerCloseListener = brokerCloseListener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Whether our close frame was sent: nothing else may be written after it (RFC 6455 §5.5.1). */
  public boolean isCloseSent() {
    return closeSent;
  }

  /** Whether a close frame was sent or received: the socket is closing and carries no more data. */
  public boolean isClosing() {
    return closeSent || closeReceived;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (frame instanceof PingWebSocketFrame) {
      if (isClosing()) {
        frame.release();
        return;
      }
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content()), ctx.voidPromise());
      return;
    }
    if (frame instanceof PongWebSocketFrame) {
      frame.release();
      ctx.fireUserEventTriggered(PeerActivity.PONG);
      return;
    }
    if (frame instanceof CloseWebSocketFrame close) {
      onPeerClose(ctx, close);
      return;
    }
    if (isClosing()) {
      frame.release(); // RFC 6455 §5.5.1: no data after a close frame
      return;
    }
    ctx.fireChannelRead(frame);
  }

  private void onPeerClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
    try {
      closeReceived = true;
      if (closeSent) {
        ctx.close(); // the reply to our close: the handshake is complete
        return;
      }
      closeSent = true;
      ByteBuf body = close.content();
      CloseWebSocketFrame reply = body.readableBytes() >= 2
          ? new CloseWebSocketFrame(true, 0, ctx.alloc().buffer(2).writeShort(body.getUnsignedShort(body.readerIndex())))
          : new CloseWebSocketFrame(true, 0, ctx.alloc().buffer(0));
      ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    } finally {
      close.release();
    }
  }

  /**
   * Starts a graceful close: sends {@code code}/{@code reason} and closes TCP when the peer answers or the close
   * timeout passes. Call on the channel's event loop. No-op if closing already.
   */
  public void close(int code, String reason) {
    if (isClosing()) {
      return;
    }
    closeSent = true;
    brokerCloseListener.accept(code);
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
    closeTimer = ctx.executor().schedule(() -> {
      ctx.close();
    }, closeTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7): sends {@code code}/{@code reason} and closes TCP right after. Call on
   * the channel's event loop.
   */
  public void fail(int code, String reason) {
    if (closeSent) {
      ctx.close();
      return;
    }
    closeSent = true;
    brokerCloseListener.accept(code);
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (closeSent && !(msg instanceof CloseWebSocketFrame)) {
      ReferenceCountUtil.release(msg); // nothing may follow our close frame
      if (!promise.isVoid()) {
        promise.trySuccess();
      }
      return;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (closeTimer != null) {
      closeTimer.cancel(false);
    }
    super.channelInactive(ctx);
  }
}
