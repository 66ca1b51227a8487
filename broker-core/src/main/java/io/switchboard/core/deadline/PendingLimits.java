package io.switchboard.core.deadline;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of a {@link PendingRequests} table: pending requests overall and per group, and how long and how many
 * timed-out keys are remembered to tell a late reply from an unknown one.
 */
public record PendingLimits(int maxPending, int maxPendingPerGroup, Duration lateRetention, int maxLateKeys) {
  /** The devices dialect remembers expired reply tokens for 2 × the 60 s verification window. */
  public static final Duration DEFAULT_LATE_RETENTION = Duration.ofMinutes(2);
  public static final int DEFAULT_MAX_LATE_KEYS = 100_000;

  public PendingLimits {
    Objects.requireNonNull(lateRetention, "lateRetention");
    if (maxPending < 1 || maxPendingPerGroup < 1 || maxLateKeys < 1) {
      throw new IllegalArgumentException("limits must be positive: " + maxPending + ", " + maxPendingPerGroup + ", "
          + maxLateKeys);
    }
    if (lateRetention.isNegative() || lateRetention.isZero()) {
      throw new IllegalArgumentException("lateRetention must be positive: " + lateRetention);
    }
  }

  /** Limits with the default late retention (2 min) and late-key bound (100,000). */
  public static PendingLimits of(int maxPending, int maxPendingPerGroup) {
    return new PendingLimits(maxPending, maxPendingPerGroup, DEFAULT_LATE_RETENTION, DEFAULT_MAX_LATE_KEYS);
  }
}
