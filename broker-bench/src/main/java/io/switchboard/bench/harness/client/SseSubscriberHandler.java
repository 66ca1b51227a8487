package io.switchboard.bench.harness.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * An SSE subscription: sends {@code GET path} with {@code Accept: text/event-stream}, then cuts the response body
 * into events at blank lines (an event may span chunks) and hands each event that has a {@code data:} line to its
 * {@link Subscription}. Comments ({@code : heartbeat}) and {@code retry:} blocks carry no data and are skipped.
 */
public final class SseSubscriberHandler extends SimpleChannelInboundHandler<HttpObject> {
  private static final ByteBuf EVENT_END = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer("\n\n".getBytes(StandardCharsets.US_ASCII)));
  private static final ByteBuf DATA = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer("data:".getBytes(StandardCharsets.US_ASCII)));
  private final Subscription sub;
  private final String path;
  private final String host;
  private ByteBuf pending;

  public SseSubscriberHandler(Subscription sub, String host, String path) {
    this.sub = sub;
    this.host = host;
    this.path = path;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    req.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.ACCEPT, "text/event-stream");
    ctx.writeAndFlush(req);
    super.channelActive(ctx);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    pending = ctx.alloc().buffer(4096);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    pending.release();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (msg instanceof HttpResponse res && !HttpResponseStatus.OK.equals(res.status())) {
      sub.onFailure(new IllegalStateException("subscribe answered " + res.status()));
      ctx.close();
      return;
    }
    if (msg instanceof HttpContent content) {
      pending.writeBytes(content.content());
      int end;
      while ((end = ByteBufUtil.indexOf(EVENT_END, pending)) >= 0) {
        ByteBuf event = pending.slice(pending.readerIndex(), end - pending.readerIndex());
        if (ByteBufUtil.indexOf(DATA, event) >= 0) {
          sub.onEvent(event);
        }
        pending.readerIndex(end + EVENT_END.readableBytes());
      }
      pending.discardSomeReadBytes();
    }
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
