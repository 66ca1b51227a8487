package io.switchboard.codec.gzip;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/**
 * The RFC 1952 framing around a raw deflate body: the member header (validated on the way in, written on the way
 * out) and the 8-byte trailer (CRC32 and ISIZE, little-endian).
 */
final class GzipFormat {
  private GzipFormat() {}

  static final int ID1 = 0x1f;
  static final int ID2 = 0x8b;
  static final int CM_DEFLATE = 8;
  static final int FHCRC = 0x02;
  static final int FEXTRA = 0x04;
  static final int FNAME = 0x08;
  static final int FCOMMENT = 0x10;
  static final int RESERVED_FLAGS = 0xe0;
  static final int FIXED_HEADER = 10;
  static final int TRAILER = 8;
  /** OS byte 255: unknown, as RFC 1952 suggests when the origin does not matter. */
  private static final int OS_UNKNOWN = 0xff;

  /**
   * Validates the member header of {@code in} starting at {@code from} (absolute index, readable up to
   * {@code to}): magic, CM = 8, no reserved flag, and the optional FEXTRA, FNAME, FCOMMENT and FHCRC fields (the
   * header CRC16 is checked).
   *
   * @param crc scratch, reset here
   * @return the absolute index of the deflate body, or -1 if the header is invalid or truncated
   */
  static int bodyStart(ByteBuf in, int from, int to, CRC32 crc) {
    if (to - from < FIXED_HEADER + TRAILER) {
      return -1;
    }
    if (in.getUnsignedByte(from) != ID1 || in.getUnsignedByte(from + 1) != ID2
        || in.getUnsignedByte(from + 2) != CM_DEFLATE) {
      return -1;
    }
    int flags = in.getUnsignedByte(from + 3);
    if ((flags & RESERVED_FLAGS) != 0) {
      return -1;
    }
    int i = from + FIXED_HEADER;
    if ((flags & FEXTRA) != 0) {
      if (to - i < 2) {
        return -1;
      }
      i += 2 + in.getUnsignedShortLE(i);
    }
    if ((flags & FNAME) != 0) {
      i = afterZero(in, i, to);
    }
    if ((flags & FCOMMENT) != 0) {
      i = afterZero(in, i, to);
    }
    if ((flags & FHCRC) != 0) {
      if (i < 0 || to - i < 2) {
        return -1;
      }
      crc.reset();
      for (int j = from; j < i; j++) {
        crc.update(in.getByte(j));
      }
      if (((int) crc.getValue() & 0xffff) != in.getUnsignedShortLE(i)) {
        return -1;
      }
      i += 2;
    }
    return i < 0 || i > to ? -1 : i;
  }

  /** The index after the zero byte that ends a string field starting at {@code i}, or -1 if none before to. */
  private static int afterZero(ByteBuf in, int i, int to) {
    if (i < 0 || i >= to) {
      return -1;
    }
    int zero = in.indexOf(i, to, (byte) 0);
    return zero < 0 ? -1 : zero + 1;
  }

  /** Writes the 10-byte header without optional fields; MTIME 0 (none), XFL 0. */
  static void writeHeader(ByteBuf out) {
    out.writeShort(ID1 << 8 | ID2);
    out.writeByte(CM_DEFLATE);
    out.writeByte(0);
    out.writeInt(0);
    out.writeByte(0);
    out.writeByte(OS_UNKNOWN);
  }

  static void writeTrailer(ByteBuf out, long crc32, long size) {
    out.writeIntLE((int) crc32);
    out.writeIntLE((int) size);
  }
}
