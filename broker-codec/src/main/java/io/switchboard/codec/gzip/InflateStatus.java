package io.switchboard.codec.gzip;

import java.util.Locale;

/** How {@link GzipInflater#inflate} ended; the non-OK values map to the bots dialect's frame-level failures. */
public enum InflateStatus {
  /** One valid gzip member, inflated within the limits. */
  OK,
  /** Not exactly one valid gzip member: bad header, corrupt or truncated body, bad CRC32/ISIZE, trailing bytes. */
  NOT_GZIP,
  /** The inflated size would pass {@link GzipLimits#maxInflatedBytes()}, or the expansion ratio is absurd. */
  INFLATED_TOO_LARGE;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The metric reason: {@code ok}, {@code not_gzip}, {@code inflated_too_large}. */
  public String tag() {
    return tag;
  }
}
