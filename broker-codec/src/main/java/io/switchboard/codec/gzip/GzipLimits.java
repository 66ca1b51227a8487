package io.switchboard.codec.gzip;

/**
 * Bounds on one inflated frame.
 *
 * @param maxInflatedBytes hard cap on the inflated size ({@code bots.limits.maxInflatedBytes}, default 1 MiB): the
 *     output buffer is created with this as its maximum capacity, so no frame can make the inflater allocate more
 * @param maxRatio refuse a frame, as {@link InflateStatus#INFLATED_TOO_LARGE}, once its output exceeds this many
 *     times the deflate bytes consumed so far (header bytes do not count, so padding the header buys nothing). It is
 *     checked each time the output buffer would grow, i.e. after the first chunk, so a bomb is stopped before the
 *     buffer grows towards the cap. Deflate cannot expand more than ~1032:1 and approaches that only slowly (1 MiB of
 *     zeros compresses at 997:1 overall, its first 64 KiB at ~840:1), so a threshold of 1000 would almost never fire;
 *     the default 500 stops such bombs after 32–64 KiB of output. Bot JSON stays far below it: a frame carrying 64 KiB
 *     of one repeated letter is ~263:1, 2000 copies of the same 230-byte message ~227:1. 0 disables the check; the
 *     cap alone still bounds memory and work.
 */
public record GzipLimits(int maxInflatedBytes, int maxRatio) {
  public static final int DEFAULT_MAX_INFLATED_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_RATIO = 500;

  public GzipLimits {
    if (maxInflatedBytes < 1) {
      throw new IllegalArgumentException("maxInflatedBytes must be positive: " + maxInflatedBytes);
    }
    if (maxRatio < 0) {
      throw new IllegalArgumentException("maxRatio must be 0 (off) or positive: " + maxRatio);
    }
  }

  public static GzipLimits defaults() {
    return new GzipLimits(DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_RATIO);
  }

  public GzipLimits withMaxInflatedBytes(int bytes) {
    return new GzipLimits(bytes, maxRatio);
  }

  public GzipLimits withMaxRatio(int ratio) {
    return new GzipLimits(maxInflatedBytes, ratio);
  }
}
