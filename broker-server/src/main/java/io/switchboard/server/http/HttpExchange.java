package io.switchboard.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;
import io.switchboard.core.LoopHandOffs;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP request and its single answer: a response, a WebSocket upgrade, or the start of an event stream.
 * Answering is thread-safe and happens at most once; later attempts are ignored.
 */
public final class HttpExchange {
  private final ChannelHandlerContext ctx;
  private final FullHttpRequest request;
  private final QueryStringDecoder uri;
  private final Runnable onComplete;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final boolean keepAlive;

  HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, Runnable onComplete) {
    this.ctx = ctx;
    this.request = request;
    this.uri = new QueryStringDecoder(request.uri());
    this.onComplete = onComplete;
    this.keepAlive = HttpUtil.isKeepAlive(request);
  }

  public ChannelHandlerContext ctx() {
    return ctx;
  }

  /** The request; valid until the handler returns. */
  public FullHttpRequest request() {
    return request;
  }

  public HttpMethod method() {
    return request.method();
  }

  /** The decoded path, without the query. */
  public String path() {
    return uri.path();
  }

  public HttpHeaders headers() {
    return request.headers();
  }

  /** A request header, trimmed, or {@code null}. Names match case-insensitively. */
  public String header(CharSequence name) {
    String v = request.headers().get(name);
    return v == null ? null : v.trim();
  }

  /** The first value of query parameter {@code name}, or {@code null}. */
  public String query(String name) {
    List<String> v = uri.parameters().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public Map<String, List<String>> queryParameters() {
    return uri.parameters();
  }

  public ByteBuf body() {
    return request.content();
  }

  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) ctx.channel().remoteAddress();
  }

  /** Whether the request asks for a WebSocket upgrade. */
  public boolean isWebSocketUpgrade() {
    HttpHeaders h = request.headers();
    return request.method() == HttpMethod.GET
        && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && h.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header (scheme compared case-insensitively, token
   * trimmed), or null when the header is missing or uses another scheme.
   */
  public String bearerToken() {
    String h = header(HttpHeaderNames.AUTHORIZATION);
    return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
  }

  /** Whether an answer was already given. */
  public boolean answered() {
    return answered.get();
  }

  /** Answers with a JSON body. */
  public void respondJson(HttpResponseStatus status, String json) {
    respondJson(status, json, false);
  }

  /**
   * Answers with a JSON body.
   *
   * @param close whether to close the connection after the response (upgrade rejections say so)
   */
  public void respondJson(HttpResponseStatus status, String json, boolean close) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        ByteBufUtil.writeUtf8(ctx.alloc(), json));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    respond(r, close);
  }

  /** Answers {@code {"error":"<code>"}}. */
  public void respondError(HttpResponseStatus status, String code) {
    respondJson(status, Json.error(code));
  }

  /** Answers with a plain-text body. */
  public void respondText(HttpResponseStatus status, String contentType, String text) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        ctx.alloc().buffer(text.length()).writeBytes(text.getBytes(CharsetUtil.UTF_8)));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    respond(r, false);
  }

  /** Answers with {@code response} (ownership passes to the exchange). */
  public void respond(FullHttpResponse response, boolean close) {
    if (!answered.compareAndSet(false, true)) {
      response.release();
      return;
    }
    boolean ka = keepAlive && !close;
    HttpUtil.setContentLength(response, response.content().readableBytes());
    HttpUtil.setKeepAlive(response, ka);
    if (ctx.executor().inEventLoop()) {
      write(response, ka);
    } else {
      LoopHandOffs.execute(ctx.executor(), () -> write(response, ka)); // batched from the store's completions
    }
  }

  private void write(FullHttpResponse response, boolean ka) {
    ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
      if (!ka || !f.isSuccess()) {
        f.channel().close();
      } else {
        onComplete.run();
      }
    });
  }

  /**
   * Marks the exchange as answered by a protocol switch (WebSocket upgrade or event stream): the connection leaves
   * request/response mode. Returns false if it was already answered.
   */
  public boolean takeOver() {
    return answered.compareAndSet(false, true);
  }
}
