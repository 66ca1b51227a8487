package io.switchboard.server.widgets.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code widgets.webhook.*} (§5.6, §7) plus the test seam {@code delayScale}, which multiplies every retry delay
 * (backoff and Retry-After) — 1.0 in production, e.g. 0.001 in tests.
 *
 * @param workers worker threads (16)
 * @param queueSize jobs admitted beyond the running ones, including those waiting for a retry (1000)
 * @param timeout total timeout of one attempt, all redirect hops included (5 s)
 * @param maxRetries retries after the first attempt (3)
 * @param backoff delay before retry n (1 s, 2 s, 4 s; the last repeats)
 * @param jitter ± fraction applied to each backoff delay (0.2)
 * @param maxRetryAfter largest Retry-After honoured (10 s); a larger one falls back to the backoff
 * @param maxBodyBytes response body bytes kept (4096)
 * @param maxRedirects 307/308 hops followed per attempt (3)
 * @param allowedPorts ports a URL (and a redirect target) may use ({80, 443})
 * @param delayScale multiplier for retry delays
 */
public record WebhookSettings(int workers, int queueSize, Duration timeout, int maxRetries, List<Duration> backoff,
    double jitter, Duration maxRetryAfter, int maxBodyBytes, int maxRedirects, Set<Integer> allowedPorts,
    double delayScale) {

  public WebhookSettings {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    backoff = List.copyOf(backoff);
    allowedPorts = Set.copyOf(allowedPorts);
    if (workers < 1 || queueSize < 0 || maxRetries < 0 || maxBodyBytes < 0 || maxRedirects < 0) {
      throw new IllegalArgumentException("negative or zero webhook limit");
    }
    if (timeout.isNegative() || timeout.isZero() || backoff.isEmpty() || jitter < 0 || jitter >= 1
        || delayScale < 0) {
      throw new IllegalArgumentException("bad webhook timing");
    }
  }

  /** The defaults of §7. */
  public static WebhookSettings defaults() {
    return new WebhookSettings(16, 1000, Duration.ofSeconds(5), 3,
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), 0.2, Duration.ofSeconds(10),
        4096, 3, WebhookUrl.DEFAULT_ALLOWED_PORTS, 1.0);
  }

  public WebhookSettings withWorkers(int workers, int queueSize) {
    return new WebhookSettings(workers, queueSize, timeout, maxRetries, backoff, jitter, maxRetryAfter,
        maxBodyBytes, maxRedirects, allowedPorts, delayScale);
  }

  public WebhookSettings withTimeout(Duration timeout) {
    return new WebhookSettings(workers, queueSize, timeout, maxRetries, backoff, jitter, maxRetryAfter,
        maxBodyBytes, maxRedirects, allowedPorts, delayScale);
  }

  public WebhookSettings withMaxRetries(int maxRetries) {
    return new WebhookSettings(workers, queueSize, timeout, maxRetries, backoff, jitter, maxRetryAfter,
        maxBodyBytes, maxRedirects, allowedPorts, delayScale);
  }

  public WebhookSettings withAllowedPorts(Set<Integer> allowedPorts) {
    return new WebhookSettings(workers, queueSize, timeout, maxRetries, backoff, jitter, maxRetryAfter,
        maxBodyBytes, maxRedirects, allowedPorts, delayScale);
  }

  public WebhookSettings withMaxBodyBytes(int maxBodyBytes) {
    return new WebhookSettings(workers, queueSize, timeout, maxRetries, backoff, jitter, maxRetryAfter,
        maxBodyBytes, maxRedirects, allowedPorts, delayScale);
  }

  public WebhookSettings withDelayScale(double delayScale) {
    return new WebhookSettings(workers, queueSize, timeout, maxRetries, backoff, jitter, maxRetryAfter,
        maxBodyBytes, maxRedirects, allowedPorts, delayScale);
  }
}
