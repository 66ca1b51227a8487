package io.switchboard.core.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The store's meters ({@code switchboard_store_*} in Prometheus). They are removed on close, because a registry
 * returns the existing meter for a name: a reopened store would otherwise report through the closed one's gauge.
 */
final class StoreMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final Counter committed;
  private final Counter conflict;
  private final Counter failed;
  private final Counter expired;
  private final Timer sync;
  private final Gauge pending;

  StoreMetrics(MeterRegistry registry, IntSupplier pendingWrites) {
    this.registry = registry;
    this.committed = commits(registry, "committed");
    this.conflict = commits(registry, "conflict");
    this.failed = commits(registry, "failed");
    this.expired = Counter.builder("switchboard.store.expired")
        .description("Expired entries deleted by the sweep")
        .register(registry);
    this.sync = Timer.builder("switchboard.store.sync")
        .description("Latency of one fsync of the store's write-ahead log")
        .register(registry);
    this.pending = Gauge.builder("switchboard.store.pending", pendingWrites, IntSupplier::getAsInt)
        .description("Commits accepted but not yet acknowledged")
        .strongReference(true)
        .register(registry);
  }

  private static Counter commits(MeterRegistry registry, String result) {
    return Counter.builder("switchboard.store.commits")
        .description("Commits by outcome")
        .tag("result", result)
        .register(registry);
  }

  void outcome(CommitResult r) {
    (r.isCommitted() ? committed : conflict).increment();
  }

  void failed() {
    failed.increment();
  }

  void expired(int n) {
    expired.increment(n);
  }

  void synced(long nanos) {
    sync.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    for (Meter m : List.<Meter>of(committed, conflict, failed, expired, sync, pending)) {
      registry.remove(m);
    }
  }
}
