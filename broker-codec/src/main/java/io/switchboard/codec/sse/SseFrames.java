package io.switchboard.codec.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.CharsetUtil;

/**
 * Server-Sent Events framing (WHATWG HTML §9.2): {@code id:}, optional {@code event:}, then the payload as
 * {@code data:} lines, then a blank line. A payload with line breaks is split into one {@code data:} line per line,
 * as the format requires. Encoded once per message and shared by every SSE subscriber.
 */
public final class SseFrames {
  private SseFrames() {}

  private static final byte[] ID = "id: ".getBytes(CharsetUtil.US_ASCII);
  private static final byte[] EVENT = "event: ".getBytes(CharsetUtil.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(CharsetUtil.US_ASCII);

  /**
   * Encodes one event.
   *
   * @param id the {@code id:} value, or a negative number for none
   * @param event the {@code event:} type, or {@code null} for the default type
   * @param payload the data (not consumed)
   */
  public static ByteBuf event(ByteBufAllocator alloc, long id, String event, ByteBuf payload) {
    int len = payload.readableBytes();
    ByteBuf out = alloc.buffer(len + 48);
    if (id >= 0) {
      out.writeBytes(ID);
      writeDecimal(out, id);
      out.writeByte('\n');
    }
    if (event != null) {
      out.writeBytes(EVENT);
      out.writeCharSequence(event, CharsetUtil.UTF_8);
      out.writeByte('\n');
    }
    int start = payload.readerIndex();
    int end = start + len;
    int lineStart = start;
    for (int i = start; i < end; i++) {
      byte b = payload.getByte(i);
      if (b == '\n' || b == '\r') {
        out.writeBytes(DATA);
        out.writeBytes(payload, lineStart, i - lineStart);
        out.writeByte('\n');
        if (b == '\r' && i + 1 < end && payload.getByte(i + 1) == '\n') {
          i++;
        }
        lineStart = i + 1;
      }
    }
    out.writeBytes(DATA);
    out.writeBytes(payload, lineStart, end - lineStart);
    out.writeByte('\n');
    out.writeByte('\n');
    return out;
  }

  /** A comment line, used as a heartbeat: {@code : keepalive}. */
  public static ByteBuf comment(ByteBufAllocator alloc, String text) {
    ByteBuf out = alloc.buffer(text.length() + 4);
    out.writeByte(':');
    out.writeByte(' ');
    ByteBufUtil.writeUtf8(out, text);
    out.writeByte('\n');
    out.writeByte('\n');
    return out;
  }

  private static void writeDecimal(ByteBuf out, long v) {
    if (v == 0) {
      out.writeByte('0');
      return;
    }
    int start = out.writerIndex();
    while (v > 0) {
      out.writeByte((int) ('0' + v % 10));
      v /= 10;
    }
    // reverse the digits in place
    int i = start;
    int j = out.writerIndex() - 1;
    while (i < j) {
      byte t = out.getByte(i);
      out.setByte(i, out.getByte(j));
      out.setByte(j, t);
      i++;
      j--;
    }
  }
}
