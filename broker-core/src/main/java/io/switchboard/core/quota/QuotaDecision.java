package io.switchboard.core.quota;

/** What {@link SlidingWindowQuota#tryAcquire} answers: a {@link Reservation}, or {@link QuotaExceeded}. */
public sealed interface QuotaDecision permits Reservation, QuotaExceeded {
  boolean accepted();
}
