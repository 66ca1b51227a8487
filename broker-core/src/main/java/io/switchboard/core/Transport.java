package io.switchboard.core;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The network side of a broker: its listeners and pipelines. Core owns the lifecycle, the event loops, the store
 * and the streams; a transport (the HTTP/WebSocket server of {@code broker-server}, found through
 * {@link java.util.ServiceLoader} or set on the builder) binds sockets and serves them from those.
 */
public interface Transport {

  /** Binds every listener; completes when they accept connections. */
  CompletableFuture<Void> start(BrokerContext context);

  /** The bound port of the shared listener, or -1 before start and after stop. */
  int activeLocalPort();

  /**
   * Stops accepting, asks every open connection to close (WebSocket 1001), and completes when they are closed or
   * {@code drainTimeout} has passed (the rest are then closed hard).
   */
  CompletableFuture<Void> stop(Duration drainTimeout);

  /**
   * A registry the transport serves meters from (for example Prometheus for {@code /metrics}), or null. The broker
   * adds it to its own composite before registering any meter, so it reports every one.
   */
  default MeterRegistry meterRegistry() {
    return null;
  }

  /** A transport without listeners: an in-process broker. */
  Transport NONE = new Transport() {
    @Override
    public CompletableFuture<Void> start(BrokerContext context) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public int activeLocalPort() {
      return -1;
    }

    @Override
    public CompletableFuture<Void> stop(Duration drainTimeout) {
      return CompletableFuture.completedFuture(null);
    }
  };
}
