package io.switchboard.core;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.ConfigException;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.Stores;
import io.switchboard.core.stream.Streams;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Switchboard broker: the embedding API and the lifecycle of the standalone binary.
 *
 * <pre>{@code
 * try (Switchboard broker = Switchboard.builder()
 *         .config(BrokerConfig.builder().port(0).dataDir(dir).build())
 *         .build()) {
 *   broker.start().join();
 *   int port = broker.activeLocalPort();
 *   broker.streams().publish("news", Unpooled.copiedBuffer("hi", UTF_8));
 * }
 * }</pre>
 *
 * <p>{@link #start()} opens the store, starts (or adopts) the event loops and binds the listeners;
 * {@link #stop()} drains connections (WebSocket 1001), closes the store after its final sync, and stops the loops
 * it owns. Each instance is self-contained: several brokers can run in one JVM.
 */
public final class Switchboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

  private enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED }

  private final BrokerConfig config;
  private final Clock clock;
  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final EventLoopGroup sharedLoops;
  private final boolean shutdownSharedLoops;
  private final Store storeOverride;
  private final Transport transport;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile BrokerContext context;
  private volatile EventLoopGroup loops;

  private Switchboard(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.sharedLoops = b.eventLoops;
    this.shutdownSharedLoops = b.shutdownEventLoopsOnStop;
    this.storeOverride = b.store;
    this.transport = b.transport != null ? b.transport : defaultTransport();
    if (this.transport.meterRegistry() != null) {
      meters.add(this.transport.meterRegistry()); // before any meter exists, so it sees every one
    }
    if (b.meterRegistry != null) {
      meters.add(b.meterRegistry);
    }
  }

  private static Transport defaultTransport() {
    return ServiceLoader.load(Transport.class).findFirst().orElse(Transport.NONE);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the broker; completes when every listener accepts connections. Fails if called twice. */
  public CompletableFuture<Switchboard> start() {
    if (!state.compareAndSet(State.NEW, State.STARTING)) {
      return CompletableFuture.failedFuture(new IllegalStateException("already started: " + state.get()));
    }
    CompletableFuture<Switchboard> started = new CompletableFuture<>();
    // Opening the store reads the disk: keep it off the caller's thread, which may be an event loop.
    Thread starter = new Thread(() -> {
      try {
        // Waited for here, not in a callback: a failed bind completes on an event loop, and the clean-up below
        // shuts the loops down and waits for that.
        doStart().get();
        state.set(State.RUNNING);
        log.info("broker started: port {}, transport {}, store {} ({})", transport.activeLocalPort(),
            EventLoops.transportName(loops), config.store().engine(), config.store().durability());
        started.complete(this);
      } catch (Exception | Error e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null
            ? e.getCause() : e;
        if (cause instanceof ConfigException) {
          log.error("broker failed to start: {}", cause.getMessage());
        } else {
          log.error("broker failed to start", cause);
        }
        cleanupAfterFailedStart();
        started.completeExceptionally(cause);
      }
    }, "switchboard-start");
    starter.start();
    return started;
  }

  private CompletableFuture<Void> doStart() {
    loops = sharedLoops != null ? sharedLoops
        : EventLoops.create(config.server().transport(), config.server().ioThreads(), "switchboard-io");
    Store store = storeOverride != null ? storeOverride : Stores.open(config.store(), clock, meters);
    Streams streams = new Streams(meters);
    registerBrokerGauges();
    context = new BrokerContext(config, clock, meters, loops, store, streams);
    return transport.start(context);
  }

  private void registerBrokerGauges() {
    Gauge.builder("switchboard.netty.direct.used", PooledByteBufAllocator.DEFAULT,
            a -> a.metric().usedDirectMemory())
        .baseUnit("bytes").description("Direct memory held by Netty's pooled allocator").register(meters);
    Gauge.builder("switchboard.netty.heap.used", PooledByteBufAllocator.DEFAULT, a -> a.metric().usedHeapMemory())
        .baseUnit("bytes").description("Heap memory held by Netty's pooled allocator").register(meters);
  }

  private void cleanupAfterFailedStart() {
    state.set(State.STOPPED);
    try {
      transport.stop(Duration.ZERO).get(5, TimeUnit.SECONDS); // listeners that did bind
    } catch (Exception e) {
      log.warn("transport stop after a failed start failed", e);
    }
    BrokerContext c = context;
    if (c != null) {
      c.shutdownBlocking();
    }
    if (c != null && storeOverride == null) {
      closeQuietly(c.store());
    }
    shutdownLoops();
    stopped.complete(null);
  }

  /**
   * Stops the broker: refuses new connections, closes open ones with 1001 within {@code server.drainTimeout},
   * closes the store after its final sync, and stops the event loops it created. Idempotent.
   */
  public CompletableFuture<Void> stop() {
    State s = state.get();
    if (s == State.NEW && state.compareAndSet(State.NEW, State.STOPPED)) {
      stopped.complete(null);
      return stopped;
    }
    if (s != State.RUNNING || !state.compareAndSet(State.RUNNING, State.STOPPING)) {
      return stopped;
    }
    BrokerContext c = context;
    c.startDraining();
    log.info("broker stopping: draining connections (up to {} ms)", config.server().drainTimeout().toMillis());
    Thread stopper = new Thread(() -> {
      try {
        transport.stop(config.server().drainTimeout()).exceptionally(e -> {
          log.warn("transport stop failed", e);
          return null;
        }).get(config.server().drainTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("transport did not stop in time", e);
      }
      c.shutdownBlocking();
      if (storeOverride == null) {
        closeQuietly(c.store());
      }
      shutdownLoops();
      state.set(State.STOPPED);
      log.info("broker stopped cleanly");
      stopped.complete(null);
    }, "switchboard-stop");
    stopper.start();
    return stopped;
  }

  private void shutdownLoops() {
    EventLoopGroup l = loops;
    if (l != null && (sharedLoops == null || shutdownSharedLoops)) {
      Future<?> f = l.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      f.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  private static void closeQuietly(Store store) {
    try {
      store.close();
    } catch (RuntimeException e) {
      log.warn("store close failed", e);
    }
  }

  /** Stops and waits (bounded by the drain timeout plus a margin). */
  @Override
  public void close() {
    try {
      stop().get(config.server().drainTimeout().toMillis() + 15_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("broker did not stop in time", e);
    }
  }

  /** Completes when the broker has stopped. */
  public CompletableFuture<Void> whenStopped() {
    return stopped;
  }

  /** The bound port of the shared listener (useful with port 0), or -1 when not listening. */
  public int activeLocalPort() {
    return transport.activeLocalPort();
  }

  /** In-process publish and subscribe. Available once started. */
  public Streams streams() {
    return running().streams();
  }

  /** The store, for embedders that keep their own state beside the broker's. Available once started. */
  public Store store() {
    return running().store();
  }

  public BrokerConfig config() {
    return config;
  }

  public MeterRegistry meterRegistry() {
    return meters;
  }

  /** The running broker's shared context (for transports and dialects). */
  public BrokerContext context() {
    return running();
  }

  private BrokerContext running() {
    BrokerContext c = context;
    if (c == null) {
      throw new IllegalStateException("broker not started");
    }
    return c;
  }

  /** Builds a {@link Switchboard}; only {@link #config} is usually needed. */
  public static final class Builder {
    private BrokerConfig config = BrokerConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private EventLoopGroup eventLoops;
    private boolean shutdownEventLoopsOnStop;
    private MeterRegistry meterRegistry;
    private Store store;
    private Transport transport;

    private Builder() {}

    public Builder config(BrokerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Runs the broker on the embedder's event loops (an epoll or NIO {@code IoEventLoopGroup}).
     *
     * @param shutdownOnStop whether {@link #stop()} shuts the group down
     */
    public Builder eventLoops(EventLoopGroup group, boolean shutdownOnStop) {
      this.eventLoops = Objects.requireNonNull(group, "group");
      this.shutdownEventLoopsOnStop = shutdownOnStop;
      return this;
    }

    /** Also report the broker's meters to {@code registry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock every time-based rule reads; tests pass a movable one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Uses {@code store} instead of opening one from {@code store.*} config; the embedder closes it. */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Uses {@code transport} instead of the one found on the class path ({@code broker-server}'s). */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    public Switchboard build() {
      return new Switchboard(this);
    }
  }
}
