package io.switchboard.core.store;

import static io.switchboard.core.store.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When commits are acknowledged, checked against {@link CrashableEngine}, which knows what a crash would keep.
 * The invariant for {@code BATCH} and {@code SYNC}: an acknowledged write is durable at the moment of its
 * acknowledgement, so a crash loses no acknowledged write.
 */
class GroupCommitTest {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitTest.class);

  private final CrashableEngine engine = new CrashableEngine();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private GroupCommitStore store;

  private GroupCommitStore start(Durability durability, Duration batchInterval) {
    StoreConfig config = StoreConfig.builder().engine(StoreEngine.MEMORY).durability(durability)
        .batchInterval(batchInterval).expirySweepInterval(Duration.ofHours(1)).build();
    store = GroupCommitStore.start(engine, config, Clock.systemUTC(), registry);
    return store;
  }

  @AfterEach
  void tearDown() {
    engine.releaseSyncs();
    if (store != null) {
      store.close();
    }
  }

  /** A commit whose completion records whether {@code key} was durable at that moment. */
  private CompletableFuture<CommitResult> tracked(WriteBatch batch, byte[] key, Map<String, String> seen) {
    // The returned stage completes after the observation is recorded, so waiting on it never races the record.
    return store.commit(batch)
        .whenComplete((r, e) -> seen.put(Keys.printable(key), engine.isDurable(key) ? "durable" : "NOT durable"));
  }

  @Test
  void batch_acknowledgesOnlyAfterTheFsyncThatCoversIt_conflictsToo() throws Exception {
    start(Durability.BATCH, Duration.ofMillis(5));
    engine.holdSyncs();
    Map<String, String> seen = new ConcurrentHashMap<>();
    byte[] a = utf8("a");
    byte[] b = utf8("b");

    CompletableFuture<CommitResult> fa = tracked(new WriteBatch().put(a, utf8("1")), a, seen);
    // Waited for through a latch: a thread blocked in get() may itself run the callbacks of a completing future.
    AtomicReference<String> completedOn = new AtomicReference<>();
    CountDownLatch aDone = new CountDownLatch(1);
    fa.whenComplete((r, e) -> {
      completedOn.set(Thread.currentThread().getName());
      aDone.countDown();
    });
    assertThat(engine.awaitSyncEntered()).as("an idle store syncs the first write at once").isTrue();
    assertThat(fa).as("applied, but its fsync has not returned").isNotDone();
    assertThat(engine.get(a)).as("applied writes are readable").isNotNull();

    // Queued while the fsync is held: the writer applies them meanwhile, and they need the next fsync.
    CompletableFuture<CommitResult> fb = tracked(new WriteBatch().put(b, utf8("2")), b, seen);
    CompletableFuture<CommitResult> conflict = store.commit(new WriteBatch().requireAbsent(b).put(b, utf8("3")));
    engine.allowSync();
    assertThat(aDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(completedOn).as("completed by the fsync's thread").hasValue(WalSyncer.THREAD);
    assertThat(fa.get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());

    assertThat(engine.awaitSyncEntered()).as("the second fsync").isTrue();
    assertThat(engine.get(b)).isNotNull();
    assertThat(engine.isDurable(b)).isFalse();
    assertThat(fb).isNotDone();
    assertThat(conflict).as("the conflict observed b, which is not durable yet").isNotDone();
    engine.allowSync();

    assertThat(fb.get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
    assertThat(conflict.get(10, TimeUnit.SECONDS)).isEqualTo(new CommitResult.Conflict(b));
    assertThat(engine.applyCount()).as("b and its conflict in one engine write").isEqualTo(2);
    assertThat(seen).containsEntry("a", "durable").containsEntry("b", "durable");
  }

  @Test
  void batch_appliesCommitsQueuedDuringAnFsync_andAcknowledgesThemOnlyAfterALaterOne() throws Exception {
    start(Durability.BATCH, Duration.ofMillis(5));
    engine.holdSyncs();
    CompletableFuture<CommitResult> first = store.put(utf8("first"), utf8("x"));
    assertThat(engine.awaitSyncEntered()).isTrue();
    List<CompletableFuture<CommitResult>> queued = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      queued.add(store.put(utf8("k" + i), utf8("v" + i)));
    }
    // The writer does not wait for the fsync: all 50 are applied (readable) while it is still held.
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.get(utf8("k49")) != null);
    assertThat(queued).noneMatch(CompletableFuture::isDone);
    assertThat(first).isNotDone();
    assertThat(store.pendingWrites()).isEqualTo(51);

    engine.allowSync();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
    assertThat(engine.isDurable(utf8("k0"))).as("applied during the first fsync, so not covered by it").isFalse();
    engine.releaseSyncs();
    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(engine.isDurable(utf8("k49"))).isTrue();
    assertThat(engine.syncCount()).as("few fsyncs for 51 commits").isBetween(2, 3);
    assertThat(store.pendingWrites()).isZero();
  }

  @Test
  void batch_crashLosesNoAcknowledgedWrite() throws Exception {
    start(Durability.BATCH, Duration.ofMillis(2));
    long seed = System.nanoTime();
    int crashAfter = 300 + new Random(seed).nextInt(1500);
    log.info("crash after {} acknowledgements (seed {})", crashAfter, seed);

    Set<String> acked = ConcurrentHashMap.newKeySet();
    Queue<String> ackedButNotDurable = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    Queue<CompletableFuture<CommitResult>> all = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService writers = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      writers.execute(() -> {
        Semaphore window = new Semaphore(64);
        for (int i = 0; !stop.get(); i++) {
          try {
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              continue;
            }
          } catch (InterruptedException e) {
            return;
          }
          String key = thread + "/" + i;
          byte[] k = utf8(key);
          CompletableFuture<CommitResult> f = store.put(k, utf8("v" + i));
          all.add(f.whenComplete((r, e) -> { // the recording stage: waiting on it never races the record
            if (e == null) {
              if (!engine.isDurable(k)) {
                ackedButNotDurable.add(key);
              }
              acked.add(key);
            } else {
              failed.incrementAndGet();
            }
            window.release();
          }));
        }
      });
    }

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> acked.size() >= crashAfter);
    engine.crash(); // writes are in flight: 4 threads with up to 64 commits each
    stop.set(true);
    writers.shutdown();
    assertThat(writers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((r, e) -> null).get(10, TimeUnit.SECONDS);
    store.close();

    Map<byte[], byte[]> durable = engine.durableSnapshot();
    assertThat(ackedButNotDurable).as("acknowledged before their fsync").isEmpty();
    assertThat(acked).allSatisfy(key -> assertThat(durable).containsKey(utf8(key)));
    assertThat(acked.size() + failed.get()).as("every commit completed one way or the other").isEqualTo(all.size());
    log.info("{} acknowledged (all durable), {} failed at the crash, {} durable without acknowledgement",
        acked.size(), failed.get(), durable.size() - acked.size());
  }

  @Test
  void none_acknowledgesBeforeAnyFsync_soACrashLosesAcknowledgedWrites() throws Exception {
    // This is why NONE is not the default: the acknowledgement promises nothing about surviving a crash.
    start(Durability.NONE, Duration.ofMillis(5));
    engine.holdSyncs(); // a sync would block this test: there must be none
    byte[] k = utf8("k");
    assertThat(store.put(k, utf8("v")).get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
    assertThat(engine.syncCount()).isZero();
    assertThat(engine.isDurable(k)).isFalse();
    engine.crash();
    assertThat(engine.get(k)).as("the acknowledged write is gone").isNull();
  }

  @Test
  void sync_writesEachBatchWithItsOwnFsyncBeforeAcknowledging() throws Exception {
    start(Durability.SYNC, Duration.ofMillis(5));
    engine.holdSyncs(); // SYNC never waits for a group fsync
    Map<String, String> seen = new ConcurrentHashMap<>();
    List<CompletableFuture<CommitResult>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] k = utf8("k" + i);
      all.add(tracked(new WriteBatch().put(k, utf8("v")), k, seen));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(seen).hasSize(20).allSatisfy((k, v) -> assertThat(v).isEqualTo("durable"));
    assertThat(engine.applyCount()).isEqualTo(20);
    assertThat(engine.syncCount()).isZero();
  }

  @Test
  void close_syncsAndAcknowledgesWhatWaitsForTheNextGroupCommit() throws Exception {
    start(Durability.BATCH, Duration.ofSeconds(1));
    store.put(utf8("a"), utf8("1")).get(10, TimeUnit.SECONDS);
    CompletableFuture<CommitResult> b = store.put(utf8("b"), utf8("2")); // likely waits up to 1 s for its fsync
    store.close();
    assertThat(b).isCompletedWithValue(CommitResult.committed());
    assertThat(engine.isDurable(utf8("b"))).isTrue();
  }

  @Test
  void batch_failedFsync_failsWhatItCovered_andLaterOutcomesWaitForOneThatSucceeds() throws Exception {
    start(Durability.BATCH, Duration.ofMillis(1));
    assertThat(store.put(utf8("a"), utf8("1")).get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
    engine.failSyncs(1);
    byte[] b = utf8("b");
    assertThat(store.put(b, utf8("2"))).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(StoreException.class);
    assertThat(engine.get(b)).as("applied, though its fsync failed").isNotNull();
    assertThat(engine.isDurable(b)).isFalse();

    // Writes nothing, but decides on b, which is not durable: it is acknowledged only after an fsync that succeeds.
    CompletableFuture<CommitResult> conflict = store.commit(new WriteBatch().requireAbsent(b).put(b, utf8("3")));
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean durableAtAck = new AtomicBoolean();
    conflict.whenComplete((r, e) -> {
      durableAtAck.set(engine.isDurable(b));
      done.countDown();
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(conflict.get()).isEqualTo(new CommitResult.Conflict(b));
    assertThat(durableAtAck).as("b was durable when the conflict it caused was acknowledged").isTrue();
    assertThat(store.pendingWrites()).isZero();
  }

  @Test
  void engineFailure_failsTheAffectedCommitsWithStoreException() throws Exception {
    start(Durability.BATCH, Duration.ofMillis(5));
    engine.crash();
    CompletableFuture<CommitResult> f = store.put(utf8("k"), utf8("v"));
    assertThat(f).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreException.class)
        .withMessageContaining("engine crashed");
    assertThat(registry.get("switchboard.store.commits").tag("result", "failed").counter().count()).isEqualTo(1);
    assertThat(store.pendingWrites()).isZero();
  }

  @Test
  void onApplied_runsOnceTheWriteIsReadable_beforeItsFsyncReturns_andBeforeTheFuture() throws Exception {
    start(Durability.BATCH, Duration.ofMillis(5));
    engine.holdSyncs();
    byte[] k = utf8("state");
    AtomicReference<String> readInCallback = new AtomicReference<>();
    AtomicBoolean futureDoneInCallback = new AtomicBoolean(true);
    CountDownLatch applied = new CountDownLatch(1);
    AtomicReference<CompletableFuture<CommitResult>> f = new AtomicReference<>();
    CountDownLatch submitted = new CountDownLatch(1);
    f.set(store.commit(new WriteBatch().put(k, utf8("on")), r -> {
      try {
        submitted.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] v = store.get(k);
      readInCallback.set(v == null ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8));
      futureDoneInCallback.set(f.get().isDone());
      applied.countDown();
    }));
    submitted.countDown();

    assertThat(applied.await(10, TimeUnit.SECONDS)).as("told while the fsync is held").isTrue();
    assertThat(readInCallback).as("read-your-writes inside the callback").hasValue("on");
    assertThat(futureDoneInCallback).as("the callback runs before the future completes").isFalse();
    assertThat(engine.isDurable(k)).isFalse();
    assertThat(f.get()).as("acknowledged only by the fsync").isNotDone();
    engine.releaseSyncs();
    assertThat(f.get().get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
    assertThat(engine.isDurable(k)).isTrue();
  }

  @Test
  void onApplied_endsTheWritersWaitForTheNextFsync_plainCommitsKeepWaiting() throws Exception {
    // The longest interval the config allows: gathered until the next fsync may start, the commits below would be
    // applied about 1 s after the first fsync; told at once, well within the 600 ms this test allows.
    start(Durability.BATCH, Duration.ofSeconds(1));
    store.put(utf8("first"), utf8("x")).get(10, TimeUnit.SECONDS); // an idle store syncs at once; the next in 1 s
    long firstAcked = System.nanoTime();
    engine.holdSyncs(); // so that nothing below becomes durable during the test
    CompletableFuture<CommitResult> plain = store.put(utf8("plain"), utf8("1"));
    AtomicLong appliedAt = new AtomicLong();
    CountDownLatch applied = new CountDownLatch(1);
    CompletableFuture<CommitResult> answered = store.commit(new WriteBatch().put(utf8("answered"), utf8("2")), r -> {
      appliedAt.set(System.nanoTime());
      applied.countDown();
    });

    assertThat(applied.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(appliedAt.get() - firstAcked))
        .as("applied without gathering until the next fsync may start").isLessThan(Duration.ofMillis(600));
    assertThat(store.get(utf8("answered"))).isNotNull();
    assertThat(store.get(utf8("plain"))).as("queued before it, so applied in the same round").isNotNull();
    assertThat(plain).as("still waits for its fsync").isNotDone();
    assertThat(answered).isNotDone();
    engine.releaseSyncs();
    assertThat(plain.get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
    assertThat(answered.get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
  }

  @Test
  void onApplied_isNotCalledWhenTheWriteFails_andAThrowingCallbackDoesNotFailTheCommit() throws Exception {
    start(Durability.BATCH, Duration.ofMillis(5));
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<CommitResult> ok = store.commit(new WriteBatch().put(utf8("k"), utf8("v")), r -> {
      calls.incrementAndGet();
      throw new IllegalStateException("a buggy callback");
    });
    assertThat(ok.get(10, TimeUnit.SECONDS)).isEqualTo(CommitResult.committed());
    assertThat(calls).hasValue(1);

    engine.crash();
    CompletableFuture<CommitResult> failed =
        store.commit(new WriteBatch().put(utf8("k2"), utf8("v")), r -> calls.incrementAndGet());
    assertThat(failed).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreException.class);
    assertThat(calls).as("not told of a write that failed").hasValue(1);
  }
}
