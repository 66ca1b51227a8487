package io.switchboard.bench.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.switchboard.codec.gzip.GzipDeflater;
import io.switchboard.codec.gzip.GzipInflater;
import io.switchboard.codec.gzip.GzipLimits;
import io.switchboard.codec.gzip.Inflated;
import io.switchboard.codec.json.JsonLimits;
import io.switchboard.codec.json.JsonPaths;
import io.switchboard.codec.json.JsonScanException;
import io.switchboard.codec.json.JsonScanner;
import io.switchboard.codec.json.ScanResult;
import java.nio.charset.StandardCharsets;

/**
 * The bots baseline: a Blaze-style WebSocket (subprotocol {@code Mixin-Blaze-1}, no JWT check) whose binary frames
 * are inflated with the broker's {@link GzipInflater}, scanned with its {@link JsonScanner} for {@code id} and
 * {@code params.message_id}, appended to RocksDB through the {@link GroupCommitLog}, and acknowledged with a gzip
 * {@code {"id":…,"action":"CREATE_MESSAGE"}} once durable. No quota, idempotency, recipients or push: the
 * broker's extra work the ratio measures.
 */
final class BotsBaselineHandler extends SimpleChannelInboundHandler<Object> {
  private static final JsonPaths PATHS = JsonPaths.builder().text("id", 64).text("action", 64)
      .text("params.message_id", 64).build();
  private static final int ID = PATHS.slot("id");
  private static final int MESSAGE_ID = PATHS.slot("params.message_id");
  private final GroupCommitLog log;
  private final JsonScanner scanner = new JsonScanner(JsonLimits.defaults());
  private final ScanResult result = PATHS.newResult();
  private WebSocketServerHandshaker handshaker;
  private GzipInflater inflater;
  private GzipDeflater deflater;

  BotsBaselineHandler(GroupCommitLog log) {
    this.log = log;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    inflater = new GzipInflater(GzipLimits.defaults(), ctx.alloc());
    deflater = new GzipDeflater(GzipDeflater.DEFAULT_LEVEL, ctx.alloc());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    inflater.close();
    deflater.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest req) {
      if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
        ctx.close();
        return;
      }
      handshaker = new WebSocketServerHandshakerFactory("ws://" + req.headers().get(HttpHeaderNames.HOST) + "/",
          "Mixin-Blaze-1,MixinBot-Blaze-1", false, 1 << 20).newHandshaker(req);
      handshaker.handshake(ctx.channel(), req);
    } else if (msg instanceof BinaryWebSocketFrame frame) {
      onFrame(ctx, frame.content());
    } else if (msg instanceof CloseWebSocketFrame close) {
      handshaker.close(ctx.channel(), close.retain());
    } else if (msg instanceof PingWebSocketFrame ping) {
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
    }
  }

  private void onFrame(ChannelHandlerContext ctx, ByteBuf frame) {
    Inflated in = inflater.inflate(frame);
    if (!in.ok()) {
      ctx.close();
      return;
    }
    ByteBuf json = in.content();
    try {
      scanner.scan(json, result);
      if (!result.present(ID) || !result.present(MESSAGE_ID)) {
        return;
      }
      String id = result.text(ID);
      byte[] key = ("msg/" + result.text(MESSAGE_ID)).getBytes(StandardCharsets.US_ASCII);
      Channel ch = ctx.channel();
      log.append(key, ByteBufUtil.getBytes(json), () -> ch.eventLoop().execute(() -> acknowledge(ch, id)));
    } catch (JsonScanException e) {
      ctx.close();
    } finally {
      json.release();
    }
  }

  private void acknowledge(Channel ch, String id) {
    if (!ch.isActive()) {
      return;
    }
    ByteBuf reply = ch.alloc().buffer(80);
    reply.writeCharSequence("{\"id\":\"" + id + "\",\"action\":\"CREATE_MESSAGE\"}", StandardCharsets.US_ASCII);
    try {
      ch.writeAndFlush(new BinaryWebSocketFrame(deflater.deflate(reply)), ch.voidPromise());
    } finally {
      reply.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
