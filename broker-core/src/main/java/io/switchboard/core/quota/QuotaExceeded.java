package io.switchboard.core.quota;

/**
 * A refusal: accepting would put more than the quota in the window. Nothing was reserved or written.
 *
 * @param retryAfterMillis when the same request would first fit, if every acceptance still pending commits and
 *     nothing else is accepted meanwhile (for a {@code Retry-After}); {@link #NEVER} when the request alone exceeds
 *     the quota
 */
public record QuotaExceeded(long retryAfterMillis) implements QuotaDecision {
  public static final long NEVER = -1;

  @Override
  public boolean accepted() {
    return false;
  }
}
