package io.switchboard.codec.auth;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The {@code signature.HMAC} text: standard padded Base64 of a 32-byte HMAC, exactly 44 characters ending in one
 * {@code '='} (devices.md §3.2 step 4). Decodes into a caller's reusable array and encodes straight into a
 * {@link ByteBuf}, so checking or writing a signature allocates nothing. Like {@link java.util.Base64}, the two
 * unused low bits of the last character are ignored; they carry no MAC bits.
 */
public final class SignatureBase64 {
  private SignatureBase64() {}

  /** Length of the text. */
  public static final int LENGTH = 44;

  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(
          java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] DECODE = new byte[128];

  static {
    Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = (byte) i;
    }
  }

  /**
   * Decodes {@code text} into {@code out[0..32)}.
   *
   * @return false, leaving {@code out} unspecified, when {@code text} is not 44 characters of padded standard
   *     Base64 for 32 bytes
   */
  public static boolean decode(CharSequence text, byte[] out) {
    if (text == null || text.length() != LENGTH || text.charAt(LENGTH - 1) != '=' || out.length < HmacSha256.LENGTH) {
      return false;
    }
    int o = 0;
    for (int i = 0; i < 40; i += 4) {
      int a = sextet(text.charAt(i));
      int b = sextet(text.charAt(i + 1));
      int c = sextet(text.charAt(i + 2));
      int d = sextet(text.charAt(i + 3));
      if ((a | b | c | d) < 0) {
        return false;
      }
      int bits = a << 18 | b << 12 | c << 6 | d;
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    int a = sextet(text.charAt(40));
    int b = sextet(text.charAt(41));
    int c = sextet(text.charAt(42));
    if ((a | b | c) < 0) {
      return false;
    }
    int bits = a << 18 | b << 12 | c << 6;
    out[o++] = (byte) (bits >> 16);
    out[o] = (byte) (bits >> 8);
    return true;
  }

  /** Decodes {@code text} into a new array, or returns {@code null} when it is not a valid signature text. */
  public static byte[] decodeOrNull(CharSequence text) {
    byte[] out = new byte[HmacSha256.LENGTH];
    return decode(text, out) ? out : null;
  }

  /** Writes the 44-character Base64 text of a 32-byte {@code mac} at {@code out}'s writer index. */
  public static void encode(byte[] mac, ByteBuf out) {
    if (mac.length != HmacSha256.LENGTH) {
      throw new IllegalArgumentException("a signature is " + HmacSha256.LENGTH + " bytes, got " + mac.length);
    }
    out.ensureWritable(LENGTH);
    int i = 0;
    for (; i < 30; i += 3) {
      int bits = (mac[i] & 0xFF) << 16 | (mac[i + 1] & 0xFF) << 8 | (mac[i + 2] & 0xFF);
      out.writeByte(ALPHABET[bits >>> 18]);
      out.writeByte(ALPHABET[(bits >>> 12) & 0x3F]);
      out.writeByte(ALPHABET[(bits >>> 6) & 0x3F]);
      out.writeByte(ALPHABET[bits & 0x3F]);
    }
    int bits = (mac[i] & 0xFF) << 16 | (mac[i + 1] & 0xFF) << 8;
    out.writeByte(ALPHABET[bits >>> 18]);
    out.writeByte(ALPHABET[(bits >>> 12) & 0x3F]);
    out.writeByte(ALPHABET[(bits >>> 6) & 0x3F]);
    out.writeByte('=');
  }

  private static int sextet(char c) {
    return c < 128 ? DECODE[c] : -1;
  }
}
