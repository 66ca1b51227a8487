package io.switchboard.codec.auth.jwt;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A bot's Ed25519 session public key (bots.md §1), decoded and validated once when the bot is registered, so each
 * verification starts from the decompressed point. Immutable and thread-safe.
 *
 * <p>Why BouncyCastle's low-level {@code rfc8032.Ed25519} and not the JDK's {@code Signature("Ed25519")}: on the
 * §3.1 example token (JDK 17, {@code JwtBenchmark}) the JDK is 8–12× slower, ~1.1–1.3 ms against ~110–130 µs per
 * verification (a loaded 2-core box; ~670 µs against ~70 µs when quiet), and allocates ~59 KB against ~6.5 KB. One
 * verification runs per upgrade and per REST call, and bad-signature floods arrive as fast as anyone can send them,
 * so this is the auth path's whole cost. BouncyCastle's verifier is also stateless (no per-thread {@code Signature}
 * to cache and re-init). Both enforce RFC 8032 ({@code S < L}, canonical encodings); registration also rejects keys
 * that are not points of prime order.
 */
public final class Ed25519PublicKey {
  /** Length of the raw key. */
  public static final int LENGTH = 32;
  /** Length of a signature. */
  public static final int SIGNATURE_LENGTH = 64;

  private final byte[] raw;
  private final Ed25519.PublicPoint point;

  private Ed25519PublicKey(byte[] raw, Ed25519.PublicPoint point) {
    this.raw = raw;
    this.point = point;
  }

  /**
   * The key from its raw 32 bytes (RFC 8032 encoding).
   *
   * @throws IllegalArgumentException when not 32 bytes, not a point, or of small order
   */
  public static Ed25519PublicKey of(byte[] raw) {
    if (raw == null || raw.length != LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is " + LENGTH + " bytes");
    }
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(raw, 0);
    if (point == null) {
      throw new IllegalArgumentException("not a valid Ed25519 public key");
    }
    return new Ed25519PublicKey(raw.clone(), point);
  }

  /**
   * The key as registered (bots.md §1 {@code sessionPublicKey}): 64 hex digits, or 43 base64url characters
   * (trailing {@code =} tolerated).
   *
   * @throws IllegalArgumentException when it is neither, or not a valid key
   */
  public static Ed25519PublicKey parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.length() == 2 * LENGTH) {
      try {
        return of(HexFormat.of().parseHex(t));
      } catch (IllegalArgumentException notHex) {
        throw new IllegalArgumentException("sessionPublicKey is neither hex nor base64url");
      }
    }
    if (t.endsWith("=")) {
      t = t.substring(0, t.length() - 1);
    }
    byte[] raw = Base64Url.decode(t, 0, t.length());
    if (raw == null || raw.length != LENGTH) {
      throw new IllegalArgumentException("sessionPublicKey is neither hex nor base64url of 32 bytes");
    }
    return of(raw);
  }

  /** Whether {@code signature} is this key's Ed25519 signature of {@code message} (pure Ed25519, no context). */
  public boolean verify(byte[] message, byte[] signature) {
    return signature.length == SIGNATURE_LENGTH && Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  /** The raw 32 bytes (a copy). */
  public byte[] raw() {
    return raw.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey && Arrays.equals(raw, ((Ed25519PublicKey) o).raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey{" + HexFormat.of().formatHex(raw) + "}";
  }
}
