package io.switchboard.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.identity.Identities;
import io.switchboard.core.metrics.Outcomes;
import io.switchboard.core.store.Store;
import io.switchboard.core.stream.Streams;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What a running broker shares with its transport and dialects: config, clock, meters, event loops, store and
 * streams. One per broker instance (two brokers in one JVM share nothing).
 */
public final class BrokerContext {
  private final BrokerConfig config;
  private final Clock clock;
  private final CompositeMeterRegistry meters;
  private final EventLoopGroup eventLoops;
  private final Store store;
  private final Streams streams;
  private final Outcomes outcomes;
  private final Identities identities;
  private final ThreadPoolExecutor blocking;
  private volatile boolean draining;

  BrokerContext(BrokerConfig config, Clock clock, CompositeMeterRegistry meters, EventLoopGroup eventLoops,
      Store store, Streams streams) {
    this.config = config;
    this.clock = clock;
    this.meters = meters;
    this.eventLoops = eventLoops;
    this.store = store;
    this.streams = streams;
    this.outcomes = new Outcomes(meters);
    this.identities = new Identities(store);
    this.blocking = blockingPool();
  }

  /** A few daemon threads for store reads that may touch disk; idle threads end, so an idle broker holds none. */
  private static ThreadPoolExecutor blockingPool() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(BLOCKING_QUEUE), r -> {
          Thread t = new Thread(r, "switchboard-blocking-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static final int BLOCKING_THREADS = 4;
  private static final int BLOCKING_QUEUE = 16_384;

  public BrokerConfig config() {
    return config;
  }

  /** The clock every time-based rule reads (windows, retention, expiry). Tests inject a movable one. */
  public Clock clock() {
    return clock;
  }

  /**
   * The broker's meter registry: a composite that forwards to the embedder's registry, if any, and to whatever the
   * transport adds (the Prometheus registry behind {@code /metrics}).
   */
  public CompositeMeterRegistry meters() {
    return meters;
  }

  public MeterRegistry meterRegistry() {
    return meters;
  }

  public EventLoopGroup eventLoops() {
    return eventLoops;
  }

  public Store store() {
    return store;
  }

  public Streams streams() {
    return streams;
  }

  /** Apps, bots, sites, widget keys: the registries of identity kinds. */
  public Identities identities() {
    return identities;
  }

  /** Rejection and close counters shared by every dialect. */
  public Outcomes outcomes() {
    return outcomes;
  }

  /**
   * Where event loops send work that may block on the store: prefix scans (a quota's first load, a device's
   * stored state) and other reads of unbounded size. A few threads with a bounded queue: when it is full,
   * {@code execute} throws {@link java.util.concurrent.RejectedExecutionException}, and the caller answers with
   * its dialect's internal error. Shut down when the broker stops.
   */
  public Executor blocking() {
    return blocking;
  }

  void shutdownBlocking() {
    blocking.shutdown();
  }

  /** True once shutdown began: readiness fails and new connections are refused. */
  public boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }
}
