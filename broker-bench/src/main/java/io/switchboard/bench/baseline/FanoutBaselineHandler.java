package io.switchboard.bench.baseline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The baseline's widgets routes, reduced to the work a fan-out needs: {@code GET /subscribe/{stream}} (WebSocket
 * when upgrading, SSE otherwise; an {@code init} event first so the client sees the same handshake as with the
 * broker) and {@code POST /publish/{stream}} (the body scanned with Jackson for {@code message}, {@code timestamp}
 * and {@code widget_key}, the broadcast envelope written once with the next sequence, fanned out, answered 200).
 * No token, key, rate or durability checks: that is the broker's extra work the ratio measures.
 */
final class FanoutBaselineHandler extends SimpleChannelInboundHandler<Object> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] OK = "{\"code\":200,\"message\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
  private final FanoutRegistry registry;
  private WebSocketServerHandshaker handshaker;

  FanoutBaselineHandler(FanoutRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws IOException {
    if (msg instanceof FullHttpRequest req) {
      route(ctx, req);
    } else if (msg instanceof CloseWebSocketFrame close) {
      handshaker.close(ctx.channel(), close.retain());
    } else if (msg instanceof PingWebSocketFrame ping) {
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
    } else if (msg instanceof WebSocketFrame) {
      ctx.close(); // receive-only, as widgets §2.2
    }
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (req.method() == HttpMethod.GET && path.startsWith("/subscribe/")) {
      subscribe(ctx, req, registry.topic(path.substring("/subscribe/".length())));
    } else if (req.method() == HttpMethod.POST && path.startsWith("/publish/")) {
      publish(ctx, req, registry.topic(path.substring("/publish/".length())));
    } else {
      respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"code\":404,\"message\":\"not found\"}".getBytes());
    }
  }

  private void subscribe(ChannelHandlerContext ctx, FullHttpRequest req, FanoutRegistry.Topic topic) {
    ByteBuf init = initEnvelope(ctx, topic);
    if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      handshaker = new WebSocketServerHandshakerFactory("ws://" + req.headers().get(HttpHeaderNames.HOST)
          + req.uri(), null, false, 64 * 1024).newHandshaker(req);
      if (handshaker == null) {
        init.release();
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
        return;
      }
      handshaker.handshake(ctx.channel(), req).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          ctx.writeAndFlush(FanoutRegistry.wsFrame(ctx.alloc(), init));
          topic.add(ctx.channel(), false);
        }
        init.release();
      });
      return;
    }
    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
      // From here on the body is raw bytes: pre-encoded events written as they are, no chunk framing.
      ctx.pipeline().remove(FanoutBaselineInitializer.AGGREGATE);
      ctx.pipeline().remove(FanoutBaselineInitializer.HTTP);
      ByteBuf first = ctx.alloc().buffer(init.readableBytes() + 32);
      first.writeCharSequence("retry: 3000\n\nid: 0\ndata: ", StandardCharsets.US_ASCII);
      first.writeBytes(init);
      first.writeCharSequence("\n\n", StandardCharsets.US_ASCII);
      init.release();
      ctx.writeAndFlush(first);
      topic.add(ctx.channel(), true);
    });
  }

  private static ByteBuf initEnvelope(ChannelHandlerContext ctx, FanoutRegistry.Topic topic) {
    ByteBuf b = ctx.alloc().buffer(256);
    b.writeCharSequence("{\"stream_id\":\"" + topic.stream + "\",\"author_id\":\"0\",\"to_user_id\":\"" + topic.user
        + "\",\"message\":{\"token\":\"baseline\",\"user_id\":\"" + topic.user + "\",\"viewer_count\":"
        + (topic.viewers.get() + 1)
        + "},\"timestamp\":0,\"type\":\"init\",\"widget_key\":\"\"}", StandardCharsets.US_ASCII);
    return b;
  }

  private void publish(ChannelHandlerContext ctx, FullHttpRequest req, FanoutRegistry.Topic topic)
      throws IOException {
    ByteBuf body = req.content();
    int base = body.readerIndex();
    int msgStart = -1;
    int msgEnd = -1;
    String timestamp = null;
    String widgetKey = null;
    try (JsonParser p = JSON.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "message" -> {
            msgStart = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            msgEnd = (int) p.currentLocation().getByteOffset();
          }
          case "timestamp" -> timestamp = p.getText();
          case "widget_key" -> widgetKey = p.getText();
          default -> p.skipChildren();
        }
        if (v == null) {
          break;
        }
      }
    } catch (IOException e) {
      respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"code\":400,\"message\":\"invalid JSON body\"}"
          .getBytes(StandardCharsets.US_ASCII));
      return;
    }
    if (msgStart < 0 || timestamp == null || widgetKey == null) {
      respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"code\":400,\"message\":\"missing field\"}"
          .getBytes(StandardCharsets.US_ASCII));
      return;
    }
    long seq = topic.seq.incrementAndGet();
    ByteBuf env = ctx.alloc().directBuffer(msgEnd - msgStart + 200);
    try {
      env.writeCharSequence("{\"stream_id\":\"" + topic.stream + "\",\"author_id\":\"" + topic.user
          + "\",\"to_user_id\":\"\","
          + "\"message\":", StandardCharsets.US_ASCII);
      env.writeBytes(body, base + msgStart, msgEnd - msgStart);
      env.writeCharSequence(",\"timestamp\":" + timestamp + ",\"type\":\"broadcast\",\"widget_key\":\""
          + widgetKey + "\",\"seq\":" + seq + "}", StandardCharsets.US_ASCII);
      topic.broadcast(ctx.alloc(), env, seq);
    } finally {
      env.release();
    }
    respond(ctx, req, HttpResponseStatus.OK, OK);
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
      byte[] json) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (keepAlive) {
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
