package io.switchboard.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.Stores;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several threads on one principal: no window ever holds more than the quota, aborts included. */
class QuotaConcurrencyTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void threadsNeverOvershootTheQuota() throws Exception {
    MutableClock clock = new MutableClock(T0);
    int limit = 1_000;
    long window = 1_000;
    try (Store store = Stores.open(StoreConfig.builder().engine(StoreEngine.MEMORY).durability(Durability.NONE)
        .expirySweepInterval(Duration.ofHours(1)).build(), clock, new SimpleMeterRegistry())) {
      SlidingWindowQuota quota = new SlidingWindowQuota(store, "quota/bots/",
          QuotaPolicy.of(limit, Duration.ofMillis(window)), clock);
      int threads = 4;
      int attempts = 20_000;
      ConcurrentLinkedQueue<long[]> committed = new ConcurrentLinkedQueue<>();
      AtomicInteger aborted = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        boolean ticker = t == 0;
        Thread worker = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < attempts; i++) {
            if (ticker && i % 20 == 0) {
              clock.advance(Duration.ofMillis(1));
            }
            int n = 1 + random.nextInt(3);
            if (quota.tryAcquire("bot", n, new WriteBatch()) instanceof Reservation r) {
              if (random.nextInt(10) == 0) {
                r.abort();
                aborted.incrementAndGet();
              } else {
                r.commit();
                committed.add(new long[] {r.acceptedAtMillis(), n});
              }
            }
          }
        });
        worker.start();
        workers.add(worker);
      }
      start.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      // every window (t − window, t] ending at a committed acceptance holds at most the limit
      List<long[]> sorted = new ArrayList<>(committed);
      sorted.sort((a, b) -> Long.compare(a[0], b[0]));
      long inWindow = 0;
      long max = 0;
      int tail = 0;
      for (long[] c : sorted) {
        inWindow += c[1];
        while (sorted.get(tail)[0] <= c[0] - window) {
          inWindow -= sorted.get(tail++)[1];
        }
        max = Math.max(max, inWindow);
      }
      assertThat(max).isLessThanOrEqualTo(limit);
      assertThat(max).as("the quota is actually reached under contention").isGreaterThan(limit - 3);
      assertThat(aborted.get()).isPositive();
    }
  }
}
