package io.switchboard.bench.harness.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.switchboard.bench.harness.BenchClock;
import io.switchboard.bench.harness.LoadStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Sends HTTP requests over a small pool of keep-alive HTTP/1.1 connections (no pipelining: one request in flight
 * per connection, as browsers and the SDKs do). A slot goes out on the first idle connection; with none idle it
 * waits in a FIFO, still charged from its intended time. A non-2xx answer or a lost connection is an error; when
 * the response itself is what is measured (Caller API round trips), its arrival is recorded as the delivery.
 */
public final class HttpLoadTransport implements LoadSender.SendTransport {
  private final RequestFactory factory;
  private final boolean responseIsDelivery;
  private final LoadStats stats;
  private final IntConsumer onStatus;
  private final ArrayDeque<Channel> idle = new ArrayDeque<>();
  private final List<Channel> all = new ArrayList<>();
  private final Map<Channel, Long> inFlight = new HashMap<>();
  private final ArrayDeque<Long> waiting = new ArrayDeque<>();
  private boolean max;
  private boolean stopped;

  /** Builds the request of one slot. */
  public interface RequestFactory {
    FullHttpRequest create(ByteBufAllocator alloc, long intendedNanos);
  }

  /**
   * @param responseIsDelivery record each 2xx response's latency from its slot (round trips), or only count it
   * @param onStatus sees every response status (e.g. to count 504 deadline misses)
   */
  public HttpLoadTransport(RequestFactory factory, boolean responseIsDelivery, LoadStats stats,
      IntConsumer onStatus) {
    this.factory = factory;
    this.responseIsDelivery = responseIsDelivery;
    this.stats = stats;
    this.onStatus = onStatus;
  }

  /** The handler of each pool connection; adds the connection to the pool once active. */
  public SimpleChannelInboundHandler<FullHttpResponse> newHandler() {
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
    inFlight.put(ch, intendedNanos);
    ch.write(factory.create(ch.alloc(), intendedNanos), ch.voidPromise());
    stats.sent();
  }

  private void onResponse(Channel ch, FullHttpResponse res) {
    Long intended = inFlight.remove(ch);
    onStatus.accept(res.status().code());
    if (res.status().codeClass() != HttpStatusClass.SUCCESS) {
      stats.error();
    } else if (responseIsDelivery && intended != null) {
      stats.delivered(intended);
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

  /** Reads one pool connection's responses; runs on the sender's event loop like the transport. */
  private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      all.add(ctx.channel());
      idle.add(ctx.channel());
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
      onResponse(ctx.channel(), res);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      all.remove(ctx.channel());
      idle.remove(ctx.channel());
      inFlight.remove(ctx.channel());
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
