package io.switchboard.core.quota;

import java.time.Duration;
import java.util.Objects;

/**
 * How many acceptances a principal may have in any window ({@code bots.quota.messagesPerMinute}: 100,000 per 60 s).
 *
 * @param limit acceptances allowed in any window of length {@code window}
 * @param window the sliding window, a whole number of milliseconds (time is millisecond-granular)
 * @param expiryMargin how long past the end of its window an acceptance record is kept in the store; covers clock
 *     steps between a restart's old and new process (a record kept longer only costs disk; one dropped early would
 *     under-count)
 * @param maxPrincipals how many principals are tracked in memory; past it idle ones are evicted (their state is
 *     reloaded from the store when they come back)
 */
public record QuotaPolicy(int limit, Duration window, Duration expiryMargin, int maxPrincipals) {
  public static final int DEFAULT_LIMIT = 100_000;
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_EXPIRY_MARGIN = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_PRINCIPALS = 100_000;

  public QuotaPolicy {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(expiryMargin, "expiryMargin");
    if (limit < 1) {
      throw new IllegalArgumentException("quota limit must be positive: " + limit);
    }
    if (window.toMillis() < 1 || !window.equals(Duration.ofMillis(window.toMillis()))) {
      throw new IllegalArgumentException("quota window must be a positive whole number of milliseconds: " + window);
    }
    if (expiryMargin.isNegative()) {
      throw new IllegalArgumentException("expiryMargin must not be negative: " + expiryMargin);
    }
    if (maxPrincipals < 1) {
      throw new IllegalArgumentException("maxPrincipals must be positive: " + maxPrincipals);
    }
  }

  /** {@code limit} per {@code window}, with the default margin and principal bound. */
  public static QuotaPolicy of(int limit, Duration window) {
    return new QuotaPolicy(limit, window, DEFAULT_EXPIRY_MARGIN, DEFAULT_MAX_PRINCIPALS);
  }

  public static QuotaPolicy defaults() {
    return of(DEFAULT_LIMIT, DEFAULT_WINDOW);
  }

  public QuotaPolicy withMaxPrincipals(int principals) {
    return new QuotaPolicy(limit, window, expiryMargin, principals);
  }

  long windowMillis() {
    return window.toMillis();
  }
}
