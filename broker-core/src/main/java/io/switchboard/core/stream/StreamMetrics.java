package io.switchboard.core.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of one stream class, resolved once so that the fan-out path only increments. */
final class StreamMetrics {
  final Counter published;
  final Counter delivered;
  final Counter dropped;
  final Counter slowDisconnects;

  StreamMetrics(MeterRegistry registry, StreamClass cls) {
    published = Counter.builder("switchboard.stream.published").tag("class", cls.name())
        .description("Messages published to streams").register(registry);
    delivered = Counter.builder("switchboard.stream.delivered").tag("class", cls.name())
        .description("Messages handed to subscribers").register(registry);
    dropped = Counter.builder("switchboard.stream.dropped").tag("class", cls.name())
        .description("Messages dropped from a slow subscriber's queue (drop-oldest policy)").register(registry);
    slowDisconnects = Counter.builder("switchboard.stream.slow_consumer_disconnects").tag("class", cls.name())
        .description("Subscribers disconnected by the slow-consumer policy").register(registry);
  }
}
