package io.switchboard.core.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Key helpers: building keys from parts, prefix bounds, and the reserved {@code 0x00} key space. */
public final class Keys {
  private Keys() {}

  /** Keys of the store itself start with this byte; user keys may not. */
  public static final byte RESERVED = 0x00;

  static void checkUserKey(byte[] key) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("empty key");
    }
    if (key[0] == RESERVED) {
      throw new IllegalArgumentException("keys starting with 0x00 are reserved for the store");
    }
  }

  /** The smallest key greater than every key starting with {@code prefix}, or {@code null} if none exists. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long MIX = 0x9E3779B97F4A7C15L;

  /**
   * A 64-bit hash of a key's bytes, eight at a time with a multiply-xorshift mix. Unlike
   * {@link Arrays#hashCode(byte[])} it spreads keys that end in a big-endian sequence number ({@link #withLong}):
   * under the 31-polynomial, seq 31 and seq 256 hash alike.
   */
  public static long hash64(byte[] key) {
    long h = key.length * MIX;
    int i = 0;
    for (; i + 8 <= key.length; i += 8) {
      h = (h ^ (long) LONGS.get(key, i)) * MIX;
      h ^= h >>> 29;
    }
    long tail = 0;
    for (int shift = 0; i < key.length; i++, shift += 8) {
      tail |= (key[i] & 0xFFL) << shift;
    }
    h = (h ^ tail) * MIX;
    return h ^ (h >>> 32);
  }

  /** UTF-8 bytes of {@code s}. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Joins UTF-8 parts with {@code '/'}: {@code of("id", "apps", key)}. Several keys are built per message, and their
   * parts are nearly always ASCII: those are copied straight into the key, without the joined String.
   */
  public static byte[] of(String... parts) {
    int length = parts.length - 1;
    for (String part : parts) {
      length += String.valueOf(part).length(); // null joins as "null", as String.join has it
    }
    byte[] key = new byte[Math.max(length, 0)];
    int at = 0;
    for (int p = 0; p < parts.length; p++) {
      if (p > 0) {
        key[at++] = '/';
      }
      String part = String.valueOf(parts[p]);
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (c >= 0x80) {
          return utf8(String.join("/", parts));
        }
        key[at++] = (byte) c;
      }
    }
    return key;
  }

  /** {@code prefix} followed by {@code value} as 8 big-endian bytes, so that keys order numerically. */
  public static byte[] withLong(byte[] prefix, long value) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
    for (int i = 7; i >= 0; i--) {
      k[prefix.length + i] = (byte) value;
      value >>>= 8;
    }
    return k;
  }

  /** Reads 8 big-endian bytes at {@code offset}. */
  public static long readLong(byte[] key, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (key[offset + i] & 0xFF);
    }
    return v;
  }

  /** A readable rendering for logs and errors. */
  public static String printable(byte[] key) {
    StringBuilder sb = new StringBuilder(key.length + 8);
    for (byte b : key) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }
}
