package io.switchboard.codec.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes server-to-client WebSocket frames (unmasked, unfragmented) straight into bytes, so that a message fanned
 * out to many sockets is framed once and each socket gets a {@code retainedDuplicate()} of the same bytes. Such
 * pre-framed {@link ByteBuf}s pass through Netty's frame encoder untouched.
 */
public final class WebSocketFrames {
  private WebSocketFrames() {}

  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;
  private static final int OPCODE_CLOSE = 0x8;

  /** A final text frame holding {@code payload}'s readable bytes (not consumed; must be valid UTF-8). */
  public static ByteBuf text(ByteBufAllocator alloc, ByteBuf payload) {
    return frame(alloc, OPCODE_TEXT, payload);
  }

  /** A final binary frame holding {@code payload}'s readable bytes (not consumed). */
  public static ByteBuf binary(ByteBufAllocator alloc, ByteBuf payload) {
    return frame(alloc, OPCODE_BINARY, payload);
  }

  /** A close frame with {@code code} and a UTF-8 {@code reason}, cut to the 123 bytes a control frame allows. */
  public static ByteBuf close(ByteBufAllocator alloc, int code, String reason) {
    ByteBuf body = alloc.buffer(2 + 123);
    try {
      body.writeShort(code);
      if (reason != null && !reason.isEmpty()) {
        int max = 123;
        byte[] utf8 = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = Math.min(utf8.length, max);
        while (n < utf8.length && n > 0 && (utf8[n] & 0xC0) == 0x80) {
          n--; // never cut inside a UTF-8 sequence
        }
        body.writeBytes(utf8, 0, n);
      }
      return frame(alloc, OPCODE_CLOSE, body);
    } finally {
      body.release();
    }
  }

  /** Length of the frame header for a payload of {@code length} bytes. */
  public static int headerLength(int length) {
    return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
  }

  private static ByteBuf frame(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
    int length = payload.readableBytes();
    ByteBuf out = alloc.buffer(headerLength(length) + length);
    out.writeByte(0x80 | opcode);
    if (length < 126) {
      out.writeByte(length);
    } else if (length <= 0xFFFF) {
      out.writeByte(126);
      out.writeShort(length);
    } else {
      out.writeByte(127);
      out.writeLong(length);
    }
    out.writeBytes(payload, payload.readerIndex(), length);
    return out;
  }

  /** For tests and logs: the frame's payload as text (copying). */
  public static String describe(ByteBuf frame) {
    return ByteBufUtil.hexDump(frame, frame.readerIndex(), Math.min(frame.readableBytes(), 64));
  }
}
