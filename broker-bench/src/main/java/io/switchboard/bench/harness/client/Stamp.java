package io.switchboard.bench.harness.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The published message, {@code {"bt":<intended send time, ns>,"bs":<seq>,"p":"xx…"}} padded to the requested
 * size, and the reading of it back out of whatever wraps it on delivery (a widgets envelope in a WebSocket frame or
 * an SSE event, or a raw NATS payload): a byte search for the {@code "bt":} marker, so the client never parses JSON
 * on its hot path and reads every target's deliveries the same way.
 */
public final class Stamp {
  private static final ByteBuf MARK = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer("\"bt\":".getBytes(StandardCharsets.US_ASCII)));
  private static final ByteBuf TOKEN = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer("\"token\":\"".getBytes(StandardCharsets.US_ASCII)));

  private Stamp() {}

  /** Writes the message JSON for slot {@code intendedNanos}, {@code size} bytes long when size allows. */
  public static void write(ByteBuf out, long intendedNanos, long seq, int size) {
    int start = out.writerIndex();
    out.writeCharSequence("{\"bt\":", StandardCharsets.US_ASCII);
    out.writeCharSequence(Long.toString(intendedNanos), StandardCharsets.US_ASCII);
    out.writeCharSequence(",\"bs\":", StandardCharsets.US_ASCII);
    out.writeCharSequence(Long.toString(seq), StandardCharsets.US_ASCII);
    out.writeCharSequence(",\"p\":\"", StandardCharsets.US_ASCII);
    int pad = size - (out.writerIndex() - start) - 2;
    for (int i = 0; i < pad; i++) {
      out.writeByte('x');
    }
    out.writeCharSequence("\"}", StandardCharsets.US_ASCII);
  }

  /** The intended send time embedded in {@code buf}'s readable bytes, or {@code -1} if it carries none. */
  public static long intendedTime(ByteBuf buf) {
    int at = ByteBufUtil.indexOf(MARK, buf);
    if (at < 0) {
      return -1;
    }
    long v = 0;
    int digits = 0;
    for (int i = at + MARK.readableBytes(); i < buf.writerIndex(); i++) {
      byte b = buf.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      v = v * 10 + (b - '0');
      digits++;
    }
    return digits == 0 ? -1 : v;
  }

  /** The publish token of a widgets {@code init} envelope ({@code message.token}), or {@code null}. */
  public static String token(ByteBuf buf) {
    int at = ByteBufUtil.indexOf(TOKEN, buf);
    if (at < 0) {
      return null;
    }
    int from = at + TOKEN.readableBytes();
    int end = buf.indexOf(from, buf.writerIndex(), (byte) '"');
    return end < 0 ? null : buf.toString(from, end - from, StandardCharsets.US_ASCII);
  }
}
