package io.switchboard.server.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections, globally and per remote address, for every listener of a broker. A connection over a cap
 * is closed at once, before any byte is read, and counted in {@code switchboard_connections_rejected_total{reason}}.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("switchboard.counted");

  private final int maxTotal;
  private final int maxPerIp;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
  private final Counter rejectedTotal;
  private final Counter rejectedPerIp;

  public ConnectionLimiter(int maxTotal, int maxPerIp, MeterRegistry registry) {
    this.maxTotal = maxTotal;
    this.maxPerIp = maxPerIp;
    Gauge.builder("switchboard.connections.open", total, AtomicInteger::get)
        .description("Open connections on all listeners").register(registry);
    rejectedTotal = Counter.builder("switchboard.connections.rejected").tag("reason", "max_connections")
        .description("Connections closed at accept by a connection cap").register(registry);
    rejectedPerIp = Counter.builder("switchboard.connections.rejected").tag("reason", "max_connections_per_ip")
        .description("Connections closed at accept by a connection cap").register(registry);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      rejectedTotal.increment();
      ctx.close();
      return;
    }
    AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
    if (n.incrementAndGet() > maxPerIp) {
      release(ip, n);
      total.decrementAndGet();
      rejectedPerIp.increment();
      ctx.close();
      return;
    }
    ctx.channel().attr(COUNTED).set(ip);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    InetAddress ip = ctx.channel().attr(COUNTED).getAndSet(null);
    if (ip != null) {
      total.decrementAndGet();
      AtomicInteger n = perIp.get(ip);
      if (n != null) {
        release(ip, n);
      }
      super.channelInactive(ctx);
    }
  }

  private void release(InetAddress ip, AtomicInteger n) {
    if (n.decrementAndGet() <= 0) {
      perIp.remove(ip, n);
      // A concurrent increment on a removed counter is re-created on the next connect; the cap is approximate
      // by at most one connection in that race.
    }
  }

  /** Open connections now. */
  public int open() {
    return total.get();
  }
}
