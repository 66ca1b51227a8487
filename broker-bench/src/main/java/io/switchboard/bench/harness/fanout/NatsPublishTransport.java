package io.switchboard.bench.harness.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.bench.harness.BenchClock;
import io.switchboard.bench.harness.LoadStats;
import io.switchboard.bench.harness.client.LoadSender;
import io.switchboard.bench.harness.client.Stamp;
import java.nio.charset.StandardCharsets;

/**
 * Publishes with {@code PUB subject len} on one NATS connection: fire and forget, written as slots come due and
 * flushed once per tick. Under {@code --max} it writes while the socket is writable (the only backpressure NATS
 * publishing has on the client side).
 */
final class NatsPublishTransport implements LoadSender.SendTransport {
  private static final int MAX_BURST = 4096;
  private final Channel ch;
  private final byte[] pubPrefix;
  private final int size;
  private final LoadStats stats;
  private boolean stopped;
  private long seq;

  NatsPublishTransport(Channel ch, String subject, int size, LoadStats stats) {
    this.ch = ch;
    this.pubPrefix = ("PUB " + subject + " ").getBytes(StandardCharsets.US_ASCII);
    this.size = size;
    this.stats = stats;
  }

  @Override
  public void submit(long intendedNanos) {
    if (!stopped) {
      send(intendedNanos);
    }
  }

  @Override
  public void fill() {
    for (int i = 0; i < MAX_BURST && !stopped && ch.isWritable(); i++) {
      send(BenchClock.now());
    }
  }

  @Override
  public void flush() {
    ch.flush();
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public int backlog() {
    return 0;
  }

  private void send(long intendedNanos) {
    ByteBuf payload = ch.alloc().buffer(size + 8);
    Stamp.write(payload, intendedNanos, seq++, size);
    ByteBuf buf = ch.alloc().buffer(payload.readableBytes() + 64);
    buf.writeBytes(pubPrefix);
    buf.writeCharSequence(Integer.toString(payload.readableBytes()), StandardCharsets.US_ASCII);
    buf.writeShort(('\r' << 8) | '\n');
    buf.writeBytes(payload);
    payload.release();
    buf.writeShort(('\r' << 8) | '\n');
    ch.write(buf, ch.voidPromise());
    stats.sent();
  }
}
