package io.switchboard.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two counters every dialect shares: {@code switchboard_rejected_total{dialect,reason}} for rejected input and
 * {@code switchboard_closes_total{dialect,code}} for broker-initiated closes. Counters are resolved once per tag
 * pair and cached, so counting on a hot path is a map lookup and an add.
 */
public final class Outcomes {
  private final MeterRegistry registry;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();

  public Outcomes(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one rejected input of {@code dialect} (for example {@code devices}) for {@code reason}. */
  public void rejected(String dialect, String reason) {
    rejectedCounter(dialect, reason).increment();
  }

  /** The rejection counter for ({@code dialect}, {@code reason}). */
  public Counter rejectedCounter(String dialect, String reason) {
    return rejected.computeIfAbsent(dialect + '\0' + reason,
        k -> Counter.builder("switchboard.rejected").tag("dialect", dialect).tag("reason", reason)
            .description("Rejected inputs by dialect and reason").register(registry));
  }

  /** Counts one close the broker initiated on a {@code dialect} socket with {@code code}. */
  public void closed(String dialect, int code) {
    closes.computeIfAbsent(dialect + '\0' + code,
        k -> Counter.builder("switchboard.closes").tag("dialect", dialect).tag("code", Integer.toString(code))
            .description("Broker-initiated WebSocket closes by dialect and close code").register(registry))
        .increment();
  }

  /** Current value of a rejection counter, for tests and the admin API. */
  public double rejectedCount(String dialect, String reason) {
    Counter c = rejected.get(dialect + '\0' + reason);
    return c == null ? 0 : c.count();
  }

  /** Current value of a close counter, for tests. */
  public double closedCount(String dialect, int code) {
    Counter c = closes.get(dialect + '\0' + code);
    return c == null ? 0 : c.count();
  }
}
