package io.switchboard.core.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.Stores;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The quota rule of bots.md §7 with a moved clock: exact edges, batches, aborts, refusals, eviction. */
class SlidingWindowQuotaTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final String BOT = "e8e5b807-fa8b-455a-8dfa-b189d28310ff";

  final MutableClock clock = new MutableClock(T0);
  Store store;
  SlidingWindowQuota quota;

  @BeforeEach
  void open() {
    store = Stores.open(StoreConfig.builder().engine(StoreEngine.MEMORY).durability(Durability.NONE)
        .expirySweepInterval(Duration.ofHours(1)).build(), clock, new SimpleMeterRegistry());
    quota = new SlidingWindowQuota(store, "quota/bots/", QuotaPolicy.of(5, Duration.ofSeconds(60)), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Acquires {@code n}, commits the batch to the store and resolves the reservation by the outcome. */
  static QuotaDecision accept(SlidingWindowQuota quota, Store store, String principal, int n) throws Exception {
    WriteBatch batch = new WriteBatch();
    QuotaDecision d = quota.tryAcquire(principal, n, batch);
    if (d instanceof Reservation r) {
      CommitResult result = store.commit(batch).get(10, TimeUnit.SECONDS);
      r.resolve(result, null);
    } else {
      assertThat(batch.isEmpty()).as("a refusal writes nothing").isTrue();
    }
    return d;
  }

  QuotaDecision accept(int n) throws Exception {
    return accept(quota, store, BOT, n);
  }

  void at(long millis) {
    clock.set(T0.plusMillis(millis));
  }

  @Test
  void theWindowIsExactlyTheLastSixtySeconds() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(accept(1).accepted()).isTrue();
    }
    assertThat(accept(1)).isEqualTo(new QuotaExceeded(60_000));
    at(59_999);
    assertThat(accept(1)).as("(t − 60 s, t] still holds t = 0").isEqualTo(new QuotaExceeded(1));
    at(60_000);
    assertThat(accept(1).accepted()).as("at t = 60.000 s the acceptances of t = 0 are out").isTrue();
    assertThat(quota.count(BOT)).isEqualTo(1);
  }

  @Test
  void slidesOneAcceptanceAtATime() throws Exception {
    for (int i = 0; i < 5; i++) {
      at(i * 10_000L);
      assertThat(accept(1).accepted()).isTrue();
    }
    at(59_999);
    assertThat(accept(1)).isEqualTo(new QuotaExceeded(1));
    at(60_000);
    assertThat(accept(1).accepted()).isTrue();
    assertThat(accept(1)).as("the one of t = 10 s is still in").isEqualTo(new QuotaExceeded(10_000));
    at(70_000);
    assertThat(accept(1).accepted()).isTrue();
  }

  @Test
  void aBatchOfNCountsNAllOrNothing() throws Exception {
    assertThat(accept(3).accepted()).isTrue();
    assertThat(accept(3)).as("3 + 3 > 5: nothing of it is taken").isEqualTo(new QuotaExceeded(60_000));
    assertThat(accept(2).accepted()).isTrue();
    assertThat(quota.count(BOT)).isEqualTo(5);
    assertThat(accept(6)).isEqualTo(new QuotaExceeded(QuotaExceeded.NEVER));
    assertThatThrownBy(() -> accept(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryAfterCountsOnlyWhatMustLeave() throws Exception {
    at(0);
    accept(2);
    at(1_000);
    accept(3);
    at(2_000);
    assertThat(accept(2)).as("the 2 of t = 0 must leave").isEqualTo(new QuotaExceeded(58_000));
    assertThat(accept(3)).as("the 3 of t = 1 s too").isEqualTo(new QuotaExceeded(59_000));
  }

  @Test
  void anAbortGivesTheSlotsBack() throws Exception {
    WriteBatch batch = new WriteBatch();
    Reservation r = (Reservation) quota.tryAcquire(BOT, 4, batch);
    assertThat(batch.size()).isEqualTo(1);
    assertThat(quota.tryAcquire(BOT, 2, new WriteBatch()).accepted()).as("reserved slots count").isFalse();
    assertThat(r.abort()).isTrue();
    assertThat(r.abort()).isFalse();
    assertThat(r.commit()).as("resolved once").isFalse();
    assertThat(accept(5).accepted()).isTrue();
  }

  @Test
  void aConflictingBatchIsAborted() throws Exception {
    store.put(Keys.utf8("idem/1"), Keys.utf8("x")).get();
    WriteBatch batch = new WriteBatch().requireAbsent(Keys.utf8("idem/1"));
    Reservation r = (Reservation) quota.tryAcquire(BOT, 5, batch);
    store.commit(batch).whenComplete(r::resolve).get();
    assertThat(quota.count(BOT)).isZero();
    assertThat(new SlidingWindowQuota(store, "quota/bots/", QuotaPolicy.of(5, Duration.ofSeconds(60)), clock)
        .count(BOT)).as("nothing was stored").isZero();
  }

  @Test
  void theRecordCarriesItsCountAndExpiresAfterTheWindow() throws Exception {
    at(1_234);
    WriteBatch batch = new WriteBatch();
    Reservation r = (Reservation) quota.tryAcquire(BOT, 3, batch);
    WriteBatch.Op op = batch.ops().get(0);
    assertThat(Keys.printable(op.key())).startsWith("quota/bots/" + BOT + "/");
    assertThat(QuotaKeys.millisOf(op.key())).isEqualTo(T0.toEpochMilli() + 1_234);
    assertThat(QuotaKeys.countOf(op.value())).isEqualTo(3);
    assertThat(op.expiresAt()).as("after the window and the margin, rounded up to a whole second")
        .isEqualTo(WriteBatch.groupableExpiry(T0.plusMillis(1_234 + 60_000).plus(QuotaPolicy.DEFAULT_EXPIRY_MARGIN)))
        .isAfterOrEqualTo(T0.plusMillis(1_234 + 60_000).plus(QuotaPolicy.DEFAULT_EXPIRY_MARGIN))
        .isBefore(T0.plusMillis(1_234 + 60_000 + 1_000).plus(QuotaPolicy.DEFAULT_EXPIRY_MARGIN));
    assertThat(r.acceptedAtMillis()).isEqualTo(T0.toEpochMilli() + 1_234);
    r.abort();
  }

  @Test
  void principalsAreCountedApart() throws Exception {
    accept(5);
    assertThat(accept(quota, store, "another-bot", 5).accepted()).isTrue();
    assertThat(accept(quota, store, BOT.substring(0, 8), 5).accepted()).as("a prefix is another principal").isTrue();
    assertThatThrownBy(() -> quota.tryAcquire("a/b", 1, new WriteBatch()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClockStepBackNeverAdmitsMore() throws Exception {
    at(30_000);
    accept(5);
    at(10_000);
    assertThat(accept(1).accepted()).isFalse();
    at(89_999);
    assertThat(accept(1).accepted()).isFalse();
    at(90_000);
    assertThat(accept(1).accepted()).isTrue();
  }

  @Test
  void idlePrincipalsAreEvictedAndComeBackExact() throws Exception {
    SlidingWindowQuota small = new SlidingWindowQuota(store, "quota/small/",
        QuotaPolicy.of(5, Duration.ofSeconds(60)).withMaxPrincipals(8), clock);
    accept(small, store, "busy", 4);
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofMillis(1));
      accept(small, store, "p" + i, 1);
    }
    assertThat(small.trackedPrincipals()).isLessThanOrEqualTo(8);
    assertThat(small.count("busy")).as("reloaded from the store").isEqualTo(4);
    assertThat(accept(small, store, "busy", 2).accepted()).isFalse();
    at(120_000);
    small.evictIdle();
    assertThat(small.trackedPrincipals()).isZero();
  }

  @Test
  void evictIdleForgetsEmptyWindowsButKeepsReservationsInFlight() throws Exception {
    accept(1);
    Reservation inFlight = (Reservation) quota.tryAcquire("other", 1, new WriteBatch());
    at(60_000);
    assertThat(quota.evictIdle()).isEqualTo(1);
    assertThat(quota.trackedPrincipals()).isEqualTo(1);
    inFlight.abort();
    assertThat(quota.evictIdle()).isEqualTo(1);
    assertThat(quota.trackedPrincipals()).isZero();
  }

  @Test
  void policyIsValidated() {
    assertThatThrownBy(() -> QuotaPolicy.of(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QuotaPolicy.of(1, Duration.ofNanos(1500))).isInstanceOf(IllegalArgumentException.class);
    assertThat(QuotaPolicy.defaults().limit()).isEqualTo(100_000);
    assertThat(QuotaPolicy.defaults().window()).isEqualTo(Duration.ofSeconds(60));
  }
}
