package io.switchboard.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.switchboard.bench.harness.devices.DeviceFixture;
import io.switchboard.codec.auth.HmacSha256;
import io.switchboard.codec.auth.SignatureBase64;
import io.switchboard.codec.devices.CanonicalPayload;
import io.switchboard.codec.devices.CanonicalValue;
import io.switchboard.codec.devices.DeviceMessageSigner;
import io.switchboard.codec.devices.StringEscaping;
import io.switchboard.codec.json.JsonLimits;
import io.switchboard.codec.json.JsonPaths;
import io.switchboard.codec.json.JsonScanException;
import io.switchboard.codec.json.JsonScanner;
import io.switchboard.codec.json.ScanResult;
import io.switchboard.codec.websocket.WebSocketFrames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The devices baseline, reduced to what a signed round trip needs, with the broker's own codec pieces: device
 * sockets at {@code /devices} (the timestamp frame first), every inbound frame scanned with {@link JsonScanner} and
 * its payload span HMAC-verified in place ({@link HmacSha256}); a verified event's payload goes to the feed
 * sockets ({@code /api/v1/events}), a verified response completes its pending Caller API request; and
 * {@code POST /api/v1/devices/{id}/actions} signs a canonical request with {@link DeviceMessageSigner} and waits
 * up to 8 s. No store, replay memory, rate limit or activity log: the broker's extra work the ratio measures.
 */
final class DevicesBaselineHandler extends SimpleChannelInboundHandler<Object> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DeviceMessageSigner SIGNER = new DeviceMessageSigner();
  private static final JsonPaths PATHS = JsonPaths.builder()
      .field("header").field("signature").lastMember("payload")
      .text("signature.HMAC", 64).text("payload.type", 32).text("payload.replyToken", 128)
      .field("payload.value").build();
  private static final int PAYLOAD = PATHS.slot("payload");
  private static final int HMAC = PATHS.slot("signature.HMAC");
  private static final int TYPE = PATHS.slot("payload.type");
  private static final int REPLY_TOKEN = PATHS.slot("payload.replyToken");
  private static final int VALUE = PATHS.slot("payload.value");

  private final DevicesRegistry registry;
  private final JsonScanner scanner = new JsonScanner(JsonLimits.defaults());
  private final ScanResult result = PATHS.newResult();
  private final byte[] mac = new byte[HmacSha256.LENGTH];
  private WebSocketServerHandshaker handshaker;

  DevicesBaselineHandler(DevicesRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws IOException {
    if (msg instanceof FullHttpRequest req) {
      route(ctx, req);
    } else if (msg instanceof TextWebSocketFrame text) {
      onDeviceFrame(ctx, text.content());
    } else if (msg instanceof CloseWebSocketFrame close) {
      handshaker.close(ctx.channel(), close.retain());
    } else if (msg instanceof PingWebSocketFrame ping) {
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
    }
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
    String path = req.uri().split("\\?", 2)[0];
    boolean upgrade = req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    if (upgrade && (path.equals("/devices") || path.equals("/api/v1/events"))) {
      handshaker = new WebSocketServerHandshakerFactory("ws://" + req.headers().get(HttpHeaderNames.HOST) + path,
          null, false, 64 * 1024).newHandshaker(req);
      boolean device = path.equals("/devices");
      String deviceId = req.headers().get("deviceids", "");
      Channel ch = ctx.channel();
      handshaker.handshake(ch, req).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          return;
        }
        if (device) {
          registry.devices.put(deviceId, ch);
          ch.closeFuture().addListener(c -> registry.devices.remove(deviceId, ch));
          ctx.writeAndFlush(new TextWebSocketFrame("{\"timestamp\":" + System.currentTimeMillis() / 1000 + "}"));
        } else {
          registry.feed.add(ch);
          ch.closeFuture().addListener(c -> registry.feed.remove(ch));
        }
      });
    } else if (req.method() == HttpMethod.POST && path.startsWith("/api/v1/devices/") && path.endsWith("/actions")) {
      call(ctx, req, path.substring("/api/v1/devices/".length(), path.length() - "/actions".length()));
    } else {
      respond(ctx.channel(), HttpUtil.isKeepAlive(req), HttpResponseStatus.NOT_FOUND, "{\"error\":\"not_found\"}");
    }
  }

  private void call(ChannelHandlerContext ctx, FullHttpRequest req, String deviceId) throws IOException {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    Channel device = registry.devices.get(deviceId);
    if (device == null) {
      respond(ctx.channel(), keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"error\":\"device_offline\"}");
      return;
    }
    JsonNode body = JSON.readTree((java.io.InputStream) new ByteBufInputStream(req.content().duplicate()));
    String token = UUID.randomUUID().toString();
    CanonicalPayload payload = CanonicalPayload.request(body.path("action").asText(),
        body.path("clientId").asText("api"), System.currentTimeMillis() / 1000, deviceId, token,
        CanonicalValue.parse(body.path("value").toString()));
    Channel caller = ctx.channel();
    registry.pending.put(token, new DevicesRegistry.Pending(caller, keepAlive, caller.eventLoop().schedule(() -> {
      if (registry.pending.remove(token) != null) {
        respond(caller, keepAlive, HttpResponseStatus.GATEWAY_TIMEOUT, "{\"error\":\"device_unresponsive\"}");
      }
    }, 8, TimeUnit.SECONDS)));
    ByteBuf msg = SIGNER.sign(ctx.alloc(), DeviceFixture.SECRET, payload, StringEscaping.forPlatform("ESP32"));
    device.writeAndFlush(new TextWebSocketFrame(msg), device.voidPromise());
  }

  private void onDeviceFrame(ChannelHandlerContext ctx, ByteBuf frame) {
    try {
      scanner.scan(frame, result);
    } catch (JsonScanException e) {
      return;
    }
    if (!SignatureBase64.decode(result.textView(HMAC), mac) || !HmacSha256.verify(DeviceFixture.SECRET, frame,
        frame.readerIndex() + result.start(PAYLOAD), result.length(PAYLOAD), mac)) {
      return; // dropped, nothing sent back (§3.3)
    }
    if (result.textEquals(TYPE, "event")) {
      registry.toFeed(WebSocketFrames.text(ctx.alloc(), result.span(frame, PAYLOAD)));
    } else if (result.textEquals(TYPE, "response")) {
      DevicesRegistry.Pending p = registry.pending.remove(result.text(REPLY_TOKEN));
      if (p != null) {
        p.deadline().cancel(false);
        String value = result.present(VALUE) ? result.span(frame, VALUE).toString(StandardCharsets.UTF_8) : "{}";
        respond(p.caller(), p.keepAlive(), HttpResponseStatus.OK,
            "{\"success\":true,\"message\":\"OK\",\"value\":" + value + "}");
      }
    }
  }

  private static void respond(Channel ch, boolean keepAlive, HttpResponseStatus status, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (keepAlive) {
      ch.writeAndFlush(res, ch.voidPromise());
    } else {
      ch.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
