package io.switchboard.codec.auth.jwt;

import java.util.Arrays;

/**
 * Strict base64url without padding (RFC 7515 §2), the encoding of each JWS part. Stricter than
 * {@link java.util.Base64#getUrlDecoder()}, which accepts padding and ignores non-zero unused bits: here each byte
 * string has exactly one text, so a token cannot be re-spelled, and a bad part is a {@code null} rather than an
 * exception.
 */
final class Base64Url {
  private Base64Url() {}

  private static final byte[] DECODE = new byte[128];

  static {
    Arrays.fill(DECODE, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      DECODE[alphabet.charAt(i)] = (byte) i;
    }
  }

  /** Decodes {@code text[from, to)}, or returns {@code null} when it is not canonical unpadded base64url. */
  static byte[] decode(CharSequence text, int from, int to) {
    int length = to - from;
    int tail = length % 4;
    if (tail == 1) {
      return null;
    }
    byte[] out = new byte[length / 4 * 3 + (tail == 0 ? 0 : tail - 1)];
    int o = 0;
    int i = from;
    for (int end = to - tail; i < end; i += 4) {
      int bits = sextet(text, i) << 18 | sextet(text, i + 1) << 12 | sextet(text, i + 2) << 6 | sextet(text, i + 3);
      if (bits < 0) {
        return null;
      }
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    if (tail == 2) {
      int a = sextet(text, i);
      int b = sextet(text, i + 1);
      if ((a | b) < 0 || (b & 0x0F) != 0) {
        return null;
      }
      out[o] = (byte) (a << 2 | b >> 4);
    } else if (tail == 3) {
      int a = sextet(text, i);
      int b = sextet(text, i + 1);
      int c = sextet(text, i + 2);
      if ((a | b | c) < 0 || (c & 0x03) != 0) {
        return null;
      }
      out[o++] = (byte) (a << 2 | b >> 4);
      out[o] = (byte) (b << 4 | c >> 2);
    }
    return out;
  }

  /** The 6-bit value of a character, or -1 (its sign bit survives the shifts, so a bad group is negative). */
  private static int sextet(CharSequence text, int i) {
    char c = text.charAt(i);
    return c < 128 ? DECODE[c] : -1;
  }
}
