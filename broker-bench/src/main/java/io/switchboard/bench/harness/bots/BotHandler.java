package io.switchboard.bench.harness.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.bench.harness.LoadStats;
import io.switchboard.codec.gzip.GzipDeflater;
import io.switchboard.codec.gzip.GzipInflater;
import io.switchboard.codec.gzip.GzipLimits;
import io.switchboard.codec.gzip.Inflated;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One sender bot's Blaze connection: sends gzip {@code CREATE_MESSAGE} frames (ids numbered per connection) and
 * matches each gzip reply to its frame by {@code id}; a reply with {@code error} is an error, any other is the
 * acknowledgement whose latency is recorded from the frame's slot. Uses the broker's own gzip codec.
 */
final class BotHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final ByteBuf ID = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer("\"id\":\"".getBytes(StandardCharsets.US_ASCII)));
  private static final ByteBuf ERROR = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer("\"error\"".getBytes(StandardCharsets.US_ASCII)));
  private final LoadStats stats;
  private final String prefix;
  private final String paramsJson;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Map<String, Long> inFlight = new HashMap<>();
  private GzipDeflater deflater;
  private GzipInflater inflater;
  private Channel channel;
  private long seq;
  private volatile boolean closing;

  BotHandler(String senderUid, String recipientUid, LoadStats stats) {
    this.stats = stats;
    this.prefix = senderUid.substring(0, 8) + "-0000-4000-8000-";
    String data = java.util.Base64.getEncoder().encodeToString(
        "hello from the load harness".getBytes(StandardCharsets.UTF_8));
    this.paramsJson = "\"params\":{\"conversation_id\":\"" + BotFixture.contactId(senderUid, recipientUid)
        + "\",\"recipient_id\":\"" + recipientUid + "\",\"category\":\"PLAIN_TEXT\",\"data\":\"" + data + "\",";
  }

  CompletableFuture<Void> ready() {
    return ready;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    deflater = new GzipDeflater(1, ctx.alloc());
    inflater = new GzipInflater(GzipLimits.defaults(), ctx.alloc());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    deflater.close();
    inflater.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      ready.complete(null);
    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      ready.completeExceptionally(new IllegalStateException("Blaze handshake timed out"));
    }
    super.userEventTriggered(ctx, evt);
  }

  /** Messages sent and not yet answered. */
  int inFlight() {
    return inFlight.size();
  }

  /** Writes (does not flush) one {@code CREATE_MESSAGE} due at {@code intendedNanos}. On the channel's loop. */
  void send(long intendedNanos) {
    String n = String.format("%012x", seq++);
    String id = prefix + n;
    String json = "{\"id\":\"" + id + "\",\"action\":\"CREATE_MESSAGE\"," + paramsJson
        + "\"message_id\":\"" + prefix.substring(0, 14) + "5" + prefix.substring(15) + n + "\"}}";
    ByteBuf plain = channel.alloc().buffer(json.length());
    plain.writeCharSequence(json, StandardCharsets.US_ASCII);
    ByteBuf gz;
    try {
      gz = deflater.deflate(plain);
    } finally {
      plain.release();
    }
    inFlight.put(id, intendedNanos);
    channel.write(new BinaryWebSocketFrame(gz), channel.voidPromise());
    stats.sent();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof BinaryWebSocketFrame)) {
      return;
    }
    Inflated in = inflater.inflate(frame.content());
    if (!in.ok()) {
      stats.error();
      return;
    }
    ByteBuf json = in.content();
    try {
      int at = ByteBufUtil.indexOf(ID, json);
      if (at < 0) {
        return;
      }
      int from = at + ID.readableBytes();
      int end = json.indexOf(from, json.writerIndex(), (byte) '"');
      Long intended = end < 0 ? null : inFlight.remove(json.toString(from, end - from, StandardCharsets.US_ASCII));
      if (intended == null) {
        return; // a push or a status, not a reply to this sender
      }
      if (ByteBufUtil.indexOf(ERROR, json) >= 0) {
        stats.error();
      } else {
        stats.delivered(intended);
      }
    } finally {
      json.release();
    }
  }

  void close() {
    closing = true;
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException("Blaze connection closed before the upgrade"));
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
}
