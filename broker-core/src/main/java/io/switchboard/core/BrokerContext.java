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
  }

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

  /** True once shutdown began: readiness fails and new connections are refused. */
  public boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }
}
