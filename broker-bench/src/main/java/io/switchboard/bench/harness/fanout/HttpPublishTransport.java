package io.switchboard.bench.harness.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.bench.harness.BenchClock;
import io.switchboard.bench.harness.LoadStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes over a small pool of keep-alive HTTP/1.1 connections (no pipelining: one request in flight per
 * connection, as browsers and the inLive SDK do). A slot goes out on the first idle connection; with none idle it
 * waits in a FIFO, still charged from its intended time. A non-2xx answer or a lost connection is an error.
 */
final class HttpPublishTransport implements Publisher.PublishTransport {
  private final String path;
  private final String host;
  private final String bodyTail;
  private final int size;
  private final LoadStats stats;
  private final ArrayDeque<Channel> idle = new ArrayDeque<>();
  private final List<Channel> all = new ArrayList<>();
  private final ArrayDeque<Long> waiting = new ArrayDeque<>();
  private boolean max;
  private boolean stopped;
  private long seq;

  /**
   * @param path {@code /publish/{stream}?token=…}
   * @param widgetKey the {@code widget_key} of every envelope
   */
  HttpPublishTransport(String host, String path, String widgetKey, int size, LoadStats stats) {
    this.host = host;
    this.path = path;
    this.bodyTail = ",\"timestamp\":1.0,\"type\":\"broadcast\",\"widget_key\":\"" + widgetKey + "\"}";
    this.size = size;
    this.stats = stats;
  }

  /** The handler of each pool connection; adds the connection to the pool once active. */
  ResponseHandler newHandler() {
    return new ResponseHandler();
  }

  @Override
  public void submit(long intendedNanos) {
    Channel ch = idle.poll();
    if (ch == null) {
      waiting.add(intendedNanos);
    } else {
      send(ch, intendedNanos);
    }
  }

  @Override
  public void fill() {
    max = true;
    Channel ch;
    while (!stopped && (ch = idle.poll()) != null) {
      send(ch, BenchClock.now());
    }
  }

  @Override
  public void flush() {
    for (Channel ch : all) {
      ch.flush();
    }
  }

  @Override
  public void stop() {
    stopped = true;
    waiting.clear();
  }

  @Override
  public int backlog() {
    return waiting.size();
  }

  private void send(Channel ch, long intendedNanos) {
    ByteBuf body = ch.alloc().buffer(size + 160);
    body.writeCharSequence("{\"message\":", StandardCharsets.US_ASCII);
    FanoutPayload.write(body, intendedNanos, seq++, size);
    body.writeCharSequence(bodyTail, StandardCharsets.US_ASCII);
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, body);
    req.headers().set(HttpHeaderNames.HOST, host)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    ch.write(req, ch.voidPromise());
    stats.sent();
  }

  private void onResponse(Channel ch, HttpResponseStatus status) {
    if (status.codeClass() != io.netty.handler.codec.http.HttpStatusClass.SUCCESS) {
      stats.error();
    }
    if (stopped) {
      return;
    }
    if (max) {
      send(ch, BenchClock.now());
      ch.flush();
    } else if (!waiting.isEmpty()) {
      send(ch, waiting.poll());
      ch.flush();
    } else {
      idle.add(ch);
    }
  }

  /** Reads one pool connection's responses; runs on the publisher's event loop like the transport. */
  final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      all.add(ctx.channel());
      idle.add(ctx.channel());
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
      onResponse(ctx.channel(), res.status());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      all.remove(ctx.channel());
      idle.remove(ctx.channel());
      if (!stopped) {
        stats.error();
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
