package io.switchboard.codec.auth;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;

/**
 * HMAC-SHA256 over a span of a {@link ByteBuf}, keyed by the UTF-8 bytes of a secret, as the devices dialect signs
 * payloads (devices.md §3.2 step 5, §4.3). A heap buffer's span is read in place, through its backing array; a
 * direct one goes through a per-thread scratch array in 1 KiB chunks (JCA copies a direct {@code ByteBuffer} into
 * a new array on every call; this is the same copy without the allocation), and verification computes into a
 * per-thread array. The key schedules ({@link HmacKey}: the pad blocks already hashed) come from a per-thread cache
 * ({@link MacCache}), so these methods are safe on any thread and cost no key set-up once a secret has been seen
 * on a thread.
 *
 * <p>The {@code WithSuffix} variants append one byte after the span. They exist for the Node.js instanceId fallback
 * (§3.4): the device signed the payload without its last member, i.e. the span up to that member's comma, then
 * {@code '}'}.
 */
public final class HmacSha256 {
  private HmacSha256() {}

  /** Length of the MAC in bytes. */
  public static final int LENGTH = 32;

  private static final int NO_SUFFIX = -1;

  /** HMAC of bytes {@code [index, index + length)} of {@code buf} (indices and reader index unchanged). */
  public static byte[] sign(String secret, ByteBuf buf, int index, int length) {
    byte[] mac = new byte[LENGTH];
    compute(MacCache.current(), secret, buf, index, length, NO_SUFFIX, mac);
    return mac;
  }

  /** HMAC of the span followed by the single byte {@code suffix}. */
  public static byte[] signWithSuffix(String secret, ByteBuf buf, int index, int length, byte suffix) {
    byte[] mac = new byte[LENGTH];
    compute(MacCache.current(), secret, buf, index, length, suffix & 0xFF, mac);
    return mac;
  }

  /** Whether {@code expected} (32 bytes) is the HMAC of the span; compared in constant time. */
  public static boolean verify(String secret, ByteBuf buf, int index, int length, byte[] expected) {
    MacCache cache = MacCache.current();
    byte[] actual = cache.result(); // compared and dropped: no array per message
    compute(cache, secret, buf, index, length, NO_SUFFIX, actual);
    return MessageDigest.isEqual(actual, expected);
  }

  /** Whether {@code expected} is the HMAC of the span followed by {@code suffix}; compared in constant time. */
  public static boolean verifyWithSuffix(
      String secret, ByteBuf buf, int index, int length, byte suffix, byte[] expected) {
    return MessageDigest.isEqual(signWithSuffix(secret, buf, index, length, suffix), expected);
  }

  /** The MAC of the span, then of {@code suffix} unless it is {@link #NO_SUFFIX}, into {@code out}. */
  private static void compute(MacCache cache, String secret, ByteBuf buf, int index, int length, int suffix,
      byte[] out) {
    HmacKey key = cache.keyFor(secret);
    MessageDigest inner = key.start();
    update(inner, cache, buf, index, length);
    if (suffix != NO_SUFFIX) {
      inner.update((byte) suffix);
    }
    key.finish(inner, cache.innerHash(), out, 0);
  }

  private static void update(MessageDigest digest, MacCache cache, ByteBuf buf, int index, int length) {
    if (index < 0 || length < 0 || index > buf.capacity() - length) {
      throw new IndexOutOfBoundsException(
          "span " + index + "+" + length + " outside buffer of capacity " + buf.capacity());
    }
    if (buf.hasArray()) {
      digest.update(buf.array(), buf.arrayOffset() + index, length);
    } else {
      // JCA reads a direct ByteBuffer by copying it into a new array per call; copying through this thread's
      // scratch is the same copy without the allocation (a heap frame is read in place, above).
      byte[] scratch = cache.scratch();
      for (int done = 0; done < length; ) {
        int n = Math.min(scratch.length, length - done);
        buf.getBytes(index + done, scratch, 0, n);
        digest.update(scratch, 0, n);
        done += n;
      }
    }
  }
}
