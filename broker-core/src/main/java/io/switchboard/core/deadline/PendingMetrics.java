package io.switchboard.core.deadline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The meters of one {@link PendingRequests} table, resolved once so that resolving a request only increments. */
final class PendingMetrics {
  final Counter completed;
  final Counter timedOut;
  final Counter cancelled;
  final Counter failed;
  final Counter late;
  final Counter unmatched;
  final Timer fired;
  final Timer overshoot;
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);

  PendingMetrics(MeterRegistry registry, String dialect, Supplier<Number> pending) {
    completed = counter(registry, dialect, "completed", "Pending requests completed by their reply");
    timedOut = counter(registry, dialect, "timed_out", "Pending requests whose deadline passed first");
    cancelled = counter(registry, dialect, "cancelled", "Pending requests cancelled by their caller");
    failed = counter(registry, dialect, "failed", "Pending requests failed at once, e.g. their connection closed");
    late = counter(registry, dialect, "late", "Replies to requests that had already timed out");
    unmatched = counter(registry, dialect, "unmatched", "Replies matching no pending request");
    for (Refusal r : Refusal.values()) {
      refused.put(r, Counter.builder("switchboard.requests.refused").tag("dialect", dialect).tag("reason", r.tag())
          .description("Requests refused at registration, by reason").register(registry));
    }
    fired = Timer.builder("switchboard.requests.timeout.fired").tag("dialect", dialect)
        .description("Time from registration to the timeout firing, measured by the broker").register(registry);
    overshoot = Timer.builder("switchboard.requests.timeout.overshoot").tag("dialect", dialect)
        .description("How long after its deadline a timeout fired").register(registry);
    Gauge.builder("switchboard.requests.pending", pending).tag("dialect", dialect)
        .description("Requests waiting for a reply").register(registry);
  }

  void refused(Refusal reason) {
    refused.get(reason).increment();
  }

  private static Counter counter(MeterRegistry registry, String dialect, String what, String description) {
    return Counter.builder("switchboard.requests." + what).tag("dialect", dialect).description(description)
        .register(registry);
  }
}
