package io.switchboard.core.quota;

import static io.switchboard.core.quota.SlidingWindowQuotaTest.accept;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.Stores;
import io.switchboard.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window survives a restart: a new counter over the same data neither resets nor double-counts. */
class QuotaRestartTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final QuotaPolicy POLICY = QuotaPolicy.of(10, Duration.ofSeconds(60));

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(T0);

  Store open() {
    return Stores.open(StoreConfig.builder().engine(StoreEngine.ROCKSDB).dataDir(dir.resolve("data"))
        .durability(Durability.BATCH).batchInterval(Duration.ofMillis(1)).expirySweepInterval(Duration.ofHours(1))
        .build(), clock, new SimpleMeterRegistry());
  }

  SlidingWindowQuota quota(Store store) {
    return new SlidingWindowQuota(store, "quota/bots/", POLICY, clock);
  }

  @Test
  void rocksRestartKeepsTheWindow() throws Exception {
    Store store = open();
    try {
      SlidingWindowQuota quota = quota(store);
      accept(quota, store, "bot", 3);
      clock.advance(Duration.ofSeconds(20));
      accept(quota, store, "bot", 1);
      accept(quota, store, "bot", 2);
      assertThat(quota.tryAcquire("bot", 1, new io.switchboard.core.store.WriteBatch())).isNotNull();
    } finally {
      store.close();
    }
    store = open();
    try {
      SlidingWindowQuota after = quota(store);
      // 3 + 1 + 2 committed; the uncommitted reservation of the old process is not in the store
      assertThat(after.count("bot")).isEqualTo(6);
      assertThat(accept(after, store, "bot", 4).accepted()).isTrue();
      assertThat(accept(after, store, "bot", 1)).isEqualTo(new QuotaExceeded(40_000));
      clock.set(T0.plusSeconds(60));
      assertThat(after.count("bot")).as("the 3 of t = 0 left at exactly t = 60 s").isEqualTo(7);
    } finally {
      store.close();
    }
    store = open();
    try {
      SlidingWindowQuota again = quota(store);
      assertThat(again.count("bot")).as("records written at the same millisecond stay apart").isEqualTo(7);
      assertThat(accept(again, store, "bot", 3).accepted()).isTrue();
      assertThat(accept(again, store, "bot", 1).accepted()).isFalse();
    } finally {
      store.close();
    }
  }

  @Test
  void aNewCounterOverTheSameStoreCountsWhatWasAccepted() throws Exception {
    try (Store store = Stores.open(StoreConfig.builder().engine(StoreEngine.MEMORY).durability(Durability.NONE)
        .expirySweepInterval(Duration.ofHours(1)).build(), clock, new SimpleMeterRegistry())) {
      SlidingWindowQuota first = quota(store);
      for (int k = 0; k < 7; k++) {
        clock.advance(Duration.ofMillis(k % 2)); // some acceptances share a millisecond
        accept(first, store, "bot", 1);
      }
      SlidingWindowQuota second = quota(store);
      assertThat(second.count("bot")).isEqualTo(7);
      assertThat(accept(second, store, "bot", 3).accepted()).isTrue();
      assertThat(accept(second, store, "bot", 1).accepted()).isFalse();
      assertThat(quota(store).count("bot")).isEqualTo(10);
    }
  }
}
