package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.server.pipeline.RequestDeadlineHandler;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each complete request of a connection through the listener's {@link Router}, one at a time: a pipelined
 * request waits until the previous one is answered, so responses keep request order even when a handler answers
 * asynchronously. Unknown paths get 404 {@code {"error":"not_found"}}. Removed from the pipeline when the
 * connection upgrades or becomes an event stream.
 */
public final class HttpDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);
  private static final int MAX_PIPELINED = 16;

  private final Router router;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private boolean busy;
  private boolean draining;

  public HttpDispatcher(Router router) {
    this.router = router;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg); // stray content after a protocol switch; nothing to do with it
      return;
    }
    if (busy) {
      if (waiting.size() >= MAX_PIPELINED) {
        req.release();
        ctx.close();
        return;
      }
      waiting.addLast(req);
      return;
    }
    dispatch(req);
  }

  private void dispatch(FullHttpRequest req) {
    busy = true;
    HttpExchange ex = new HttpExchange(ctx, req, this::completed);
    try {
      if (req.decoderResult().isFailure()) {
        Throwable cause = req.decoderResult().cause();
        HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
            ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
            : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
            : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
            : HttpResponseStatus.BAD_REQUEST;
        ex.respondJson(status, Json.error("bad_request"), true);
        return;
      }
      Router.Route route = router.find(ex.path());
      if (route == null) {
        ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
        return;
      }
      route.handler().handle(ex);
    } catch (Exception e) {
      log.warn("handler failed for {} {}", req.method(), ex.path(), e);
      if (!ex.answered()) {
        ex.respondJson(HttpResponseStatus.INTERNAL_SERVER_ERROR, Json.error("internal_error"), true);
      }
    } finally {
      req.release();
    }
  }

  /**
   * Shutdown: closes the connection now if no request is in progress, or right after the current response.
   * Call on the channel's event loop.
   */
  public void drain() {
    draining = true;
    if (!busy) {
      ctx.close();
    }
  }

  /** Called on the event loop once a response has been written on a connection that stays open. */
  private void completed() {
    busy = false;
    if (ctx.isRemoved()) {
      return;
    }
    if (draining) {
      ctx.close();
      return;
    }
    FullHttpRequest next = waiting.pollFirst();
    if (next != null) {
      dispatch(next);
      return;
    }
    RequestDeadlineHandler deadline = ctx.pipeline().get(RequestDeadlineHandler.class);
    if (deadline != null) {
      deadline.arm(ctx.pipeline().context(deadline));
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    FullHttpRequest r;
    while ((r = waiting.pollFirst()) != null) {
      r.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    handlerRemoved(ctx);
    super.channelInactive(ctx);
  }
}
