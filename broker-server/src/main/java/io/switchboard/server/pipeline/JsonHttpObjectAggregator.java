package io.switchboard.server.pipeline;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator with the broker's error shape: a body over {@code server.limits.maxHttpBodyBytes} is answered
 * 413 {@code {"error":"payload_too_large"}} and the connection is closed (the rest of the body is never read).
 */
public final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  public JsonHttpObjectAggregator(int maxContentLength) {
    super(maxContentLength, true);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        ByteBufUtil.writeUtf8(ctx.alloc(), "{\"error\":\"payload_too_large\"}"));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    HttpUtil.setContentLength(r, r.content().readableBytes());
    HttpUtil.setKeepAlive(r, false);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }
}
