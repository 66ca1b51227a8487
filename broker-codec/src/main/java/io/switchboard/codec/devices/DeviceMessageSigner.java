package io.switchboard.codec.devices;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.auth.HmacSha256;
import io.switchboard.codec.auth.SignatureBase64;
import java.nio.charset.StandardCharsets;

/**
 * Builds the signed wire form of a broker → device message (devices.md §4.3 rule 1):
 * {@code {"header":{"payloadVersion":2,"signatureVersion":1},"payload":P,"signature":{"HMAC":"B"}}}.
 * P is written once, straight into the outgoing buffer, and signed where it lies, so the signed bytes are the sent
 * bytes; nothing is re-serialised or copied. Thread-safe and stateless apart from its limit.
 *
 * <pre>{@code
 * ByteBuf msg = signer.sign(ctx.alloc(), app.secret(), payload, StringEscaping.forPlatform(platformHeader));
 * ctx.writeAndFlush(new TextWebSocketFrame(msg));   // the caller owns msg until it passes it on
 * }</pre>
 */
public final class DeviceMessageSigner {
  /** The default of {@code devices.limits.maxOutboundBytes}. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 15000;

  private static final byte[] PREFIX =
      "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},\"payload\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SIGNATURE = ",\"signature\":{\"HMAC\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\"}}".getBytes(StandardCharsets.US_ASCII);
  /** Bytes around P. */
  static final int ENVELOPE_LENGTH = PREFIX.length + SIGNATURE.length + SignatureBase64.LENGTH + END.length;
  private static final int INITIAL_CAPACITY = 512;

  private final int maxOutboundBytes;

  public DeviceMessageSigner() {
    this(DEFAULT_MAX_OUTBOUND_BYTES);
  }

  public DeviceMessageSigner(int maxOutboundBytes) {
    if (maxOutboundBytes <= ENVELOPE_LENGTH) {
      throw new IllegalArgumentException("maxOutboundBytes " + maxOutboundBytes + " leaves no room for a payload");
    }
    this.maxOutboundBytes = maxOutboundBytes;
  }

  /**
   * The signed message in a new buffer from {@code alloc}, owned by the caller.
   *
   * @param appSecret the app secret; its UTF-8 bytes are the HMAC key
   * @param escaping {@link StringEscaping#forPlatform} of the target connection
   * @throws OutboundTooLargeException when the message would exceed the limit (no buffer is left allocated)
   */
  public ByteBuf sign(ByteBufAllocator alloc, String appSecret, CanonicalPayload payload, StringEscaping escaping) {
    ByteBuf out = alloc.buffer(INITIAL_CAPACITY);
    try {
      int start = out.writerIndex();
      out.writeBytes(PREFIX);
      int payloadStart = out.writerIndex();
      payload.writeTo(out, escaping);
      int payloadLength = out.writerIndex() - payloadStart;
      int total = out.writerIndex() - start + SIGNATURE.length + SignatureBase64.LENGTH + END.length;
      if (total > maxOutboundBytes) {
        throw new OutboundTooLargeException(total, maxOutboundBytes);
      }
      byte[] mac = HmacSha256.sign(appSecret, out, payloadStart, payloadLength);
      out.writeBytes(SIGNATURE);
      SignatureBase64.encode(mac, out);
      out.writeBytes(END);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  public int maxOutboundBytes() {
    return maxOutboundBytes;
  }
}
