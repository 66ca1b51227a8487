package io.switchboard.bench.harness.devices;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.bench.harness.LoadStats;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;

/**
 * One simulated device on its WebSocket: ready at the broker's {@code {"timestamp":…}} frame (§2.3); answers each
 * request with a signed {@code response} (copying action, clientId, deviceId and replyToken, as the SDKs do); sends
 * signed events on demand with the slot's intended time in {@code value.bt}, so the event feed shows when it was
 * due. The client reads requests by byte search, never by parsing, to stay cheap.
 */
public final class DeviceHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final String deviceId;
  private final LoadStats stats;
  private final Mac mac = DeviceFixture.newMac();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final String tokenPrefix;
  private volatile boolean closing;
  private Channel channel;
  private long events;

  public DeviceHandler(String deviceId, LoadStats stats) {
    this.deviceId = deviceId;
    this.stats = stats;
    this.tokenPrefix = "b" + Long.toHexString(System.nanoTime()) + "-" + deviceId.substring(16) + "-";
  }

  public CompletableFuture<Void> ready() {
    return ready;
  }

  public Channel channel() {
    return channel;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame)) {
      return;
    }
    ByteBuf in = frame.content();
    if (!ready.isDone()) {
      ready.complete(null);
      return;
    }
    if (indexOf(in, "\"type\":\"request\"") < 0) {
      return;
    }
    String payload = "{\"action\":\"" + text(in, "\"action\":\"") + "\",\"clientId\":\"" + text(in, "\"clientId\":\"")
        + "\",\"createdAt\":" + System.currentTimeMillis() / 1000 + ",\"deviceId\":\"" + deviceId
        + "\",\"message\":\"OK\",\"replyToken\":\"" + text(in, "\"replyToken\":\"")
        + "\",\"scope\":\"device\",\"success\":true,\"type\":\"response\",\"value\":{\"state\":\"On\"}}";
    ctx.writeAndFlush(new TextWebSocketFrame(DeviceFixture.signed(mac, payload)));
  }

  /** Writes (does not flush) one signed event due at {@code intendedNanos}. Call on the channel's loop. */
  public void sendEvent(long intendedNanos) {
    String payload = "{\"action\":\"setPowerState\",\"cause\":{\"type\":\"PHYSICAL_INTERACTION\"},\"createdAt\":"
        + System.currentTimeMillis() / 1000 + ",\"deviceId\":\"" + deviceId + "\",\"replyToken\":\"" + tokenPrefix
        + (events++) + "\",\"type\":\"event\",\"value\":{\"state\":\"On\",\"bt\":" + intendedNanos + "}}";
    channel.write(new TextWebSocketFrame(DeviceFixture.signed(mac, payload)), channel.voidPromise());
    stats.sent();
  }

  public void close() {
    closing = true;
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException("device connection closed before its timestamp frame"));
    } else if (!closing) {
      stats.error();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ready.completeExceptionally(cause);
    ctx.close();
  }

  private static int indexOf(ByteBuf in, String needle) {
    ByteBuf n = Unpooled.wrappedBuffer(needle.getBytes(StandardCharsets.US_ASCII));
    return ByteBufUtil.indexOf(n, in);
  }

  /** The string value after {@code key} (which ends with the opening quote), or "" when absent. */
  private static String text(ByteBuf in, String key) {
    int at = indexOf(in, key);
    if (at < 0) {
      return "";
    }
    int from = at + key.length();
    int end = in.indexOf(from, in.writerIndex(), (byte) '"');
    return end < 0 ? "" : in.toString(from, end - from, StandardCharsets.UTF_8);
  }
}
