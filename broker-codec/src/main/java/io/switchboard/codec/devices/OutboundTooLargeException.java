package io.switchboard.codec.devices;

/**
 * A broker-built message would exceed {@code devices.limits.maxOutboundBytes} (devices.md §4.1): an ESP could not
 * receive it. Nothing was sent; the Caller API answers 413 {@code payload_too_large} (§8.5), restore skips the entry.
 */
public final class OutboundTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int length;
  private final int limit;

  public OutboundTooLargeException(int length, int limit) {
    super("outbound message of " + length + " bytes exceeds the limit of " + limit + " bytes");
    this.length = length;
    this.limit = limit;
  }

  /** Length the message would have had, in bytes. */
  public int length() {
    return length;
  }

  public int limit() {
    return limit;
  }
}
