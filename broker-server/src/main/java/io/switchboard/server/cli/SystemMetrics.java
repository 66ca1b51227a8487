package io.switchboard.server.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * JVM and process meters (memory, GC, threads, CPU, uptime, open file descriptors) for the binary's
 * {@code /metrics}. Bound to the broker's composite registry, they also reach the Prometheus registry the
 * transport adds to it at start.
 */
final class SystemMetrics implements AutoCloseable {
  private final JvmGcMetrics gc;

  private SystemMetrics(JvmGcMetrics gc) {
    this.gc = gc;
  }

  static SystemMetrics bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new SystemMetrics(gc);
  }

  /** Stops listening to GC notifications. */
  @Override
  public void close() {
    gc.close();
  }
}
