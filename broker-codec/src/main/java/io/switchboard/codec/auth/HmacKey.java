package io.switchboard.codec.auth;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One secret's HMAC-SHA256 key schedule (RFC 2104), kept as two SHA-256 states: after the key XOR ipad block and
 * after the key XOR opad block. A MAC clones them, so each message pays for its own blocks only. JCA's
 * {@code Mac} hashes the two pad blocks again for every message (its reset returns to the bare digest): two of
 * the eight compressions of a devices response; measured 400 → 305 ns per 262-byte span on this host.
 *
 * <p>The prototypes are never updated after construction, only cloned, so a key may be read by any thread.
 */
final class HmacKey {
  private static final int BLOCK = 64;

  private final MessageDigest inner;
  private final MessageDigest outer;

  HmacKey(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("empty HMAC secret");
    }
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length > BLOCK) {
      key = sha256().digest(key);
    }
    byte[] ipad = new byte[BLOCK];
    byte[] opad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < key.length ? key[i] : 0;
      ipad[i] = (byte) (b ^ 0x36);
      opad[i] = (byte) (b ^ 0x5c);
    }
    Arrays.fill(key, (byte) 0);
    inner = sha256();
    inner.update(ipad);
    outer = sha256();
    outer.update(opad);
  }

  /** A digest already past the inner pad: update it with the message, then {@link #finish}. */
  MessageDigest start() {
    return copy(inner);
  }

  /**
   * Writes the MAC of what {@code started} was given into {@code out} at {@code offset}; {@code scratch} holds the
   * inner hash meanwhile (32 bytes, the caller's).
   */
  void finish(MessageDigest started, byte[] scratch, byte[] out, int offset) {
    try {
      started.digest(scratch, 0, HmacSha256.LENGTH);
      MessageDigest o = copy(outer);
      o.update(scratch, 0, HmacSha256.LENGTH);
      o.digest(out, offset, HmacSha256.LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException(e); // the buffers are LENGTH bytes
    }
  }

  private static MessageDigest copy(MessageDigest prototype) {
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest not cloneable", e); // the JDK's is
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e); // mandatory in every Java SE runtime
    }
  }
}
