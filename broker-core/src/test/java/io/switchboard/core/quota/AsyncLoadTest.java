package io.switchboard.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.EntryVisitor;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.StoreException;
import io.switchboard.core.store.Stores;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SlidingWindowQuota#acquire}: a principal's first use scans the store on the loader, never on the caller;
 * acquisitions queued behind the load are decided in arrival order; the count stays exact.
 */
class AsyncLoadTest {
  static final String BOT = SlidingWindowQuotaTest.BOT;
  static final QuotaPolicy FIVE_PER_MINUTE = QuotaPolicy.of(5, Duration.ofSeconds(60));

  final MutableClock clock = new MutableClock(SlidingWindowQuotaTest.T0);
  Store store;
  CountingStore counting;
  final Queue<Runnable> loader = new ArrayDeque<>();

  /** Counts scans; can fail the next scan. */
  static final class CountingStore implements Store {
    final Store delegate;
    final AtomicInteger scans = new AtomicInteger();
    volatile boolean failNextScan;

    CountingStore(Store delegate) {
      this.delegate = delegate;
    }

    @Override
    public byte[] get(byte[] key) {
      return delegate.get(key);
    }

    @Override
    public void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor) {
      scans.incrementAndGet();
      if (failNextScan) {
        failNextScan = false;
        throw new StoreException("injected scan failure");
      }
      delegate.scan(from, to, reverse, visitor);
    }

    @Override
    public CompletableFuture<CommitResult> commit(WriteBatch batch) {
      return delegate.commit(batch);
    }

    @Override
    public Runnable onExpired(byte[] prefix, java.util.function.IntConsumer listener) {
      return delegate.onExpired(prefix, listener);
    }

    @Override
    public Durability durability() {
      return delegate.durability();
    }

    @Override
    public int pendingWrites() {
      return delegate.pendingWrites();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @BeforeEach
  void open() throws Exception {
    store = Stores.open(StoreConfig.builder().engine(StoreEngine.MEMORY).durability(Durability.NONE)
        .expirySweepInterval(Duration.ofHours(1)).build(), clock, new SimpleMeterRegistry());
    // Three acceptances before a "restart": the new quota instance must find them.
    SlidingWindowQuota before = new SlidingWindowQuota(store, "quota/bots/", FIVE_PER_MINUTE, clock);
    for (int i = 0; i < 3; i++) {
      assertThat(SlidingWindowQuotaTest.accept(before, store, BOT, 1).accepted()).isTrue();
    }
    counting = new CountingStore(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static QuotaDecision commit(Store store, QuotaDecision d, WriteBatch batch) throws Exception {
    if (d instanceof Reservation r) {
      r.resolve(store.commit(batch).get(10, TimeUnit.SECONDS), null);
    }
    return d;
  }

  @Test
  void firstUse_scansOnTheLoaderOnly_andDecidesQueuedCallersInArrivalOrder() throws Exception {
    SlidingWindowQuota quota = new SlidingWindowQuota(counting, "quota/bots/", FIVE_PER_MINUTE, clock);
    List<WriteBatch> batches = new ArrayList<>();
    List<CompletableFuture<QuotaDecision>> decisions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WriteBatch b = new WriteBatch();
      batches.add(b);
      decisions.add(quota.acquire(BOT, 1, b, loader::add));
    }
    assertThat(loader).as("one load for the three").hasSize(1);
    assertThat(counting.scans.get()).as("nothing read on the caller's thread").isZero();
    assertThat(decisions).noneMatch(CompletableFuture::isDone);
    assertThat(batches).allMatch(WriteBatch::isEmpty);

    loader.poll().run();

    assertThat(counting.scans.get()).isEqualTo(1);
    assertThat(decisions.get(0).join().accepted()).isTrue();
    assertThat(decisions.get(1).join().accepted()).as("3 stored + 2 = the limit").isTrue();
    assertThat(decisions.get(2).join()).as("the third, in arrival order, is over").isInstanceOf(QuotaExceeded.class);
    assertThat(batches.get(2).isEmpty()).isTrue();
    for (int i = 0; i < 2; i++) {
      commit(counting, decisions.get(i).join(), batches.get(i));
    }

    // Loaded now: decided at once on the caller, without a scan or a loader task.
    CompletableFuture<QuotaDecision> now = quota.acquire(BOT, 1, new WriteBatch(), loader::add);
    assertThat(now).isDone();
    assertThat(now.join()).isInstanceOf(QuotaExceeded.class);
    assertThat(loader).isEmpty();
    assertThat(counting.scans.get()).as("no second load").isEqualTo(1);
    assertThat(quota.count(BOT)).isEqualTo(5);
  }

  @Test
  void aFailedLoad_failsItsWaiters_addsNothing_andTheNextAcquireLoadsAgain() throws Exception {
    SlidingWindowQuota quota = new SlidingWindowQuota(counting, "quota/bots/", FIVE_PER_MINUTE, clock);
    counting.failNextScan = true;
    WriteBatch b = new WriteBatch();
    CompletableFuture<QuotaDecision> failing = quota.acquire(BOT, 1, b, loader::add);
    loader.poll().run();
    assertThat(failing).isCompletedExceptionally();
    assertThat(b.isEmpty()).isTrue();

    CompletableFuture<QuotaDecision> refused = quota.acquire(BOT, 1, new WriteBatch(), r -> {
      throw new RejectedExecutionException("pool full");
    });
    assertThat(refused).isCompletedExceptionally();

    WriteBatch ok = new WriteBatch();
    CompletableFuture<QuotaDecision> retried = quota.acquire(BOT, 2, ok, loader::add);
    loader.poll().run();
    assertThat(commit(counting, retried.join(), ok).accepted()).isTrue();
    assertThat(quota.count(BOT)).isEqualTo(5);
  }

  @Test
  void manyThreads_onAFreshWindow_neverOvershoot() throws Exception {
    SlidingWindowQuota quota = new SlidingWindowQuota(store, "quota/bots/", QuotaPolicy.of(50, Duration.ofSeconds(60)),
        clock);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<QuotaDecision>> all = java.util.Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<?>> submitted = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        submitted.add(CompletableFuture.runAsync(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          for (int i = 0; i < 20; i++) {
            WriteBatch b = new WriteBatch();
            all.add(quota.acquire(BOT, 1, b, pool).thenCompose(d -> d instanceof Reservation r
                ? store.commit(b).whenComplete(r::resolve).thenApply(x -> d)
                : CompletableFuture.completedFuture(d)));
          }
        }, callers));
      }
      go.countDown();
      CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      long accepted = 0;
      for (CompletableFuture<QuotaDecision> f : all) {
        if (f.get(10, TimeUnit.SECONDS).accepted()) {
          accepted++;
        }
      }
      assertThat(accepted).as("50 minus the 3 stored before").isEqualTo(47);
      assertThat(quota.count(BOT)).isEqualTo(50);
    } finally {
      pool.shutdownNow();
      callers.shutdownNow();
    }
  }
}
