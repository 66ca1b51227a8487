package io.switchboard.bench.harness.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The published message, {@code {"bt":<intended send time, ns>,"bs":<seq>,"p":"xx…"}} padded to the requested
 * size, and the reading of it back out of whatever wraps it on delivery (a widgets envelope in a WebSocket frame or
 * an SSE event, or a raw NATS payload): a byte search for the {@code "bt":} marker, so the client never parses JSON
 * on its hot path and reads every target's deliveries the same way.
 */
public final class Stamp {
  private static final byte[] MARK = "\"bt\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOKEN = "\"token\":\"".getBytes(StandardCharsets.US_ASCII);

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
    int at = indexOf(buf, MARK);
    if (at < 0) {
      return -1;
    }
    long v = 0;
    int digits = 0;
    for (int i = at + MARK.length; i < buf.writerIndex(); i++) {
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
    int at = indexOf(buf, TOKEN);
    if (at < 0) {
      return null;
    }
    int from = at + TOKEN.length;
    int end = buf.indexOf(from, buf.writerIndex(), (byte) '"');
    return end < 0 ? null : buf.toString(from, end - from, StandardCharsets.US_ASCII);
  }

  /**
   * Index of {@code mark} (which starts with a quote) in the readable bytes, or -1: hops from quote to quote with
   * {@link ByteBuf#indexOf(int, int, byte)} (eight bytes a step) and compares there. {@code ByteBufUtil.indexOf}
   * sets up a general substring search per call, and was 40 % of the client's samples under the fan-out.
   */
  static int indexOf(ByteBuf buf, byte[] mark) {
    int last = buf.writerIndex() - mark.length;
    for (int i = buf.readerIndex(); i <= last; i++) {
      i = buf.indexOf(i, last + 1, mark[0]);
      if (i < 0) {
        return -1;
      }
      if (matchesAt(buf, i, mark)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean matchesAt(ByteBuf buf, int at, byte[] mark) {
    for (int k = 1; k < mark.length; k++) {
      if (buf.getByte(at + k) != mark[k]) {
        return false;
      }
    }
    return true;
  }
}
