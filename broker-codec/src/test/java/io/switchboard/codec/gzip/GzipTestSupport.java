package io.switchboard.codec.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Builds gzip members (with {@link GZIPOutputStream} or by hand) and pooled frames for the gzip tests. */
final class GzipTestSupport {
  private GzipTestSupport() {}

  static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;
  static final String JSON = "{\"id\":\"8a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d\",\"action\":\"CREATE_MESSAGE\","
      + "\"params\":{\"conversation_id\":\"29443795-82e8-324f-b200-aff9b6d1f5a3\","
      + "\"recipient_id\":\"e8e5b807-fa8b-455a-8dfa-b189d28310ff\","
      + "\"message_id\":\"c3a9a3b2-6a0e-4d53-9d8e-5f0b6f4e2a10\",\"category\":\"PLAIN_TEXT\","
      + "\"data_base64\":\"SGVsbG8_ID4-\"}}";

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /** A member of {@code zeros} zero bytes, compressed in 1 MiB steps so the input never exists in memory. */
  static byte[] gzipZeros(long zeros) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 20];
    try (GZIPOutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
      for (long left = zeros; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  static byte[] rawDeflate(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new DeflaterOutputStream(bytes, new Deflater(6, true))) {
      out.write(data);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A member with a hand-written header: {@code flags} selects FEXTRA/FNAME/FCOMMENT/FHCRC, whose fields are filled
   * in; {@code headerCrcDelta} is added to the FHCRC value (0: correct).
   */
  static byte[] member(byte[] data, int flags, int headerCrcDelta) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(0x1f);
    h.write(0x8b);
    h.write(8);
    h.write(flags);
    h.writeBytes(new byte[] {0x78, 0x56, 0x34, 0x12, 0, 3});
    if ((flags & GzipFormat.FEXTRA) != 0) {
      byte[] extra = {'A', 'P', 4, 0, 1, 2, 3, 4};
      h.write(extra.length);
      h.write(0);
      h.writeBytes(extra);
    }
    if ((flags & GzipFormat.FNAME) != 0) {
      h.writeBytes(utf8("frame.json"));
      h.write(0);
    }
    if ((flags & GzipFormat.FCOMMENT) != 0) {
      h.writeBytes(utf8("a comment"));
      h.write(0);
    }
    if ((flags & GzipFormat.FHCRC) != 0) {
      CRC32 crc = new CRC32();
      crc.update(h.toByteArray());
      int crc16 = ((int) crc.getValue() + headerCrcDelta) & 0xffff;
      h.write(crc16);
      h.write(crc16 >>> 8);
    }
    h.writeBytes(rawDeflate(data));
    CRC32 crc = new CRC32();
    crc.update(data);
    writeIntLe(h, (int) crc.getValue());
    writeIntLe(h, data.length);
    return h.toByteArray();
  }

  private static void writeIntLe(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  enum Kind { HEAP, DIRECT, COMPOSITE }

  /** A pooled frame holding {@code bytes}; a composite splits them into three components. */
  static ByteBuf frame(byte[] bytes, Kind kind) {
    switch (kind) {
      case HEAP:
        return POOLED.heapBuffer(bytes.length).writeBytes(bytes);
      case DIRECT:
        return POOLED.directBuffer(bytes.length).writeBytes(bytes);
      default:
        CompositeByteBuf c = POOLED.compositeBuffer();
        int a = bytes.length / 3;
        int b = 2 * bytes.length / 3;
        c.addComponent(true, POOLED.directBuffer().writeBytes(bytes, 0, a));
        c.addComponent(true, POOLED.heapBuffer().writeBytes(bytes, a, b - a));
        c.addComponent(true, POOLED.directBuffer().writeBytes(bytes, b, bytes.length - b));
        return c;
    }
  }

  static byte[] bytes(ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), b);
    return b;
  }

  /** An allocator that hands out pooled buffers and remembers each one's maximum capacity. */
  static final class RecordingAllocator extends io.netty.buffer.AbstractByteBufAllocator {
    final List<Integer> maxCapacities = new ArrayList<>();

    RecordingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      maxCapacities.add(maxCapacity);
      return POOLED.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      maxCapacities.add(maxCapacity);
      return POOLED.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return true;
    }
  }
}
