package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.server.pipeline.HandlerNames;
import java.util.function.Consumer;

/**
 * Switches an HTTP exchange to a Server-Sent Events stream: the response head ({@code text/event-stream},
 * {@code Cache-Control: no-cache}, body delimited by the connection's end) goes out through the HTTP codec, which
 * is then removed, so stream frames (pre-encoded by {@code FrameShapes.SSE}) are written to the socket as they are.
 * Whatever the client sends afterwards is discarded.
 */
public final class EventStreams {
  private EventStreams() {}

  /**
   * @param installer adds the stream's handlers (subscriber, heartbeat) at the end of the pipeline; runs on the
   *     channel's loop right after the head is written
   * @return false when the exchange was already answered
   */
  public static boolean open(HttpExchange ex, Consumer<ChannelPipeline> installer) {
    return open(ex, null, installer);
  }

  /**
   * As {@link #open(HttpExchange, Consumer)}, with {@code extraHeaders} (for example CORS) added to the head.
   */
  public static boolean open(HttpExchange ex, io.netty.handler.codec.http.HttpHeaders extraHeaders,
      Consumer<ChannelPipeline> installer) {
    if (!ex.takeOver()) {
      return false;
    }
    ChannelHandlerContext ctx = ex.ctx();
    Runnable switchOver = () -> {
      ChannelPipeline p = ctx.pipeline();
      for (String name : new String[] {HandlerNames.HTTP_KEEPALIVE, HandlerNames.REQUEST_DEADLINE,
          HandlerNames.HTTP_AGGREGATE, HandlerNames.DISPATCH}) {
        if (p.get(name) != null) {
          p.remove(name);
        }
      }
      DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
          .set("X-Accel-Buffering", "no");
      if (extraHeaders != null) {
        head.headers().add(extraHeaders);
      }
      p.writeAndFlush(head);
      // The head is encoded during that write; from here on the socket carries raw event-stream bytes.
      p.remove(HandlerNames.HTTP);
      p.addBefore(HandlerNames.EXCEPTIONS, "sse-discard", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
          ReferenceCountUtil.release(msg);
        }
      });
      installer.accept(p);
    };
    if (ctx.executor().inEventLoop()) {
      switchOver.run();
    } else {
      ctx.executor().execute(switchOver);
    }
    return true;
  }
}
