package io.switchboard.codec.auth.jwt;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The request a token is bound to: SHA-256 of METHOD + URI + BODY, whose lower-case hex is the {@code sig} claim
 * (bots.md §3.1, §3.2). The body is hashed where it lies in its {@link ByteBuf} (heap array, NIO view, or each
 * component of a composite), never copied into a {@code String}; the buffer's indices are untouched and it is not
 * released. METHOD and URI are taken one byte per char (ISO-8859-1), which is how Netty's HTTP decoder turned the
 * request line's bytes into chars, so the digest is over the bytes the client sent.
 */
public final class RequestSig {
  private static final FastThreadLocal<MessageDigest> SHA256 = new FastThreadLocal<>() {
    @Override
    protected MessageDigest initialValue() throws NoSuchAlgorithmException {
      return MessageDigest.getInstance("SHA-256");
    }
  };
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** The upgrade's sig: always GET, URI {@code /} and no body, even at {@code /blaze} (§3.2). */
  public static final RequestSig UPGRADE = of("GET", "/", null); // after SHA256 and HEX: it uses them

  private final byte[] hexBytes; // the 64 lower-case hex digits, as ASCII

  private RequestSig(byte[] digest) {
    this.hexBytes = new byte[2 * digest.length];
    for (int i = 0; i < digest.length; i++) {
      hexBytes[2 * i] = HEX[(digest[i] >> 4) & 0x0F];
      hexBytes[2 * i + 1] = HEX[digest[i] & 0x0F];
    }
  }

  /**
   * The digest of a REST request.
   *
   * @param method the upper-case method, e.g. {@code POST}
   * @param uri the request target: the path, plus {@code ?} and the query when there is one
   * @param body the raw body (its readable bytes), or {@code null} for none
   * @throws IllegalArgumentException when METHOD or URI holds a char above U+00FF (never read off the wire)
   */
  public static RequestSig of(CharSequence method, CharSequence uri, ByteBuf body) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    try {
      updateLatin1(sha, method);
      updateLatin1(sha, uri);
      if (body != null && body.isReadable()) {
        updateBuf(sha, body, body.readerIndex(), body.readableBytes());
      }
      return new RequestSig(sha.digest());
    } catch (RuntimeException e) {
      sha.reset(); // the cached digest must not carry half a request into the next use
      throw e;
    }
  }

  /** The lower-case hex text, as the {@code sig} claim spells it. */
  public String hex() {
    return new String(hexBytes, StandardCharsets.US_ASCII);
  }

  /** Whether {@code claim} is exactly this digest's lower-case hex (upper-case digits do not match). */
  public boolean matches(CharSequence claim) {
    if (claim == null || claim.length() != hexBytes.length) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < hexBytes.length; i++) {
      diff |= claim.charAt(i) ^ hexBytes[i];
    }
    return diff == 0;
  }

  @Override
  public String toString() {
    return "RequestSig{" + hex() + "}";
  }

  private static void updateLatin1(MessageDigest sha, CharSequence s) {
    int n = s.length();
    byte[] chunk = new byte[Math.min(n, 256)];
    for (int i = 0; i < n; ) {
      int len = Math.min(chunk.length, n - i);
      for (int j = 0; j < len; j++) {
        char c = s.charAt(i + j);
        if (c > 0xFF) {
          throw new IllegalArgumentException("request line char above U+00FF at " + (i + j));
        }
        chunk[j] = (byte) c;
      }
      sha.update(chunk, 0, len);
      i += len;
    }
  }

  private static void updateBuf(MessageDigest sha, ByteBuf buf, int index, int length) {
    if (buf.hasArray()) {
      sha.update(buf.array(), buf.arrayOffset() + index, length);
    } else if (buf.nioBufferCount() == 1) {
      sha.update(buf.nioBuffer(index, length));
    } else {
      for (ByteBuffer part : buf.nioBuffers(index, length)) { // composite: each component in place
        sha.update(part);
      }
    }
  }
}
