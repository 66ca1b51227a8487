package io.switchboard.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.quota.QuotaPolicy;
import io.switchboard.core.quota.Reservation;
import io.switchboard.core.quota.SlidingWindowQuota;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.Stores;
import io.switchboard.core.store.WriteBatch;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the bots quota check on the accept path, uncontended: {@code tryAcquire} (which appends the acceptance
 * record to a fresh {@link WriteBatch}) then {@code commit}, or then {@code abort}. The store is not committed to:
 * this measures the quota's own work, which runs on the event loop. The limit is never reached, so the window holds
 * one bucket per millisecond of the last second, as under a steady load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuotaBenchmark {
  private static final String BOT = "e8e5b807-fa8b-455a-8dfa-b189d28310ff";

  private Store store;
  private SlidingWindowQuota quota;

  @Setup(Level.Trial)
  public void setUp() {
    Clock clock = Clock.systemUTC();
    store = Stores.open(StoreConfig.builder().engine(StoreEngine.MEMORY).durability(Durability.NONE).build(), clock,
        new SimpleMeterRegistry());
    quota = new SlidingWindowQuota(store, "quota/bots/", QuotaPolicy.of(Integer.MAX_VALUE, Duration.ofSeconds(1)),
        clock);
    quota.preload(BOT);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  @Benchmark
  public WriteBatch acquireCommit() {
    WriteBatch batch = new WriteBatch();
    ((Reservation) quota.tryAcquire(BOT, 1, batch)).commit();
    return batch;
  }

  @Benchmark
  public WriteBatch acquireAbort() {
    WriteBatch batch = new WriteBatch();
    ((Reservation) quota.tryAcquire(BOT, 1, batch)).abort();
    return batch;
  }
}
