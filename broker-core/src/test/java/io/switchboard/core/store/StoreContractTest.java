package io.switchboard.core.store;

import static io.switchboard.core.store.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link Store} contract, run against each engine by a subclass. */
abstract class StoreContractTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Store store;

  abstract StoreEngine engine();

  StoreConfig.Builder config() {
    return StoreConfig.builder().engine(engine()).dataDir(dir.resolve("data")).durability(Durability.BATCH)
        .batchInterval(Duration.ofMillis(1)).expirySweepInterval(Duration.ofHours(1));
  }

  @BeforeEach
  void open() {
    store = Stores.open(config().build(), clock, registry);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static CommitResult done(CompletableFuture<CommitResult> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  static String str(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  List<String> keys(byte[] from, byte[] to, boolean reverse) {
    List<String> out = new ArrayList<>();
    store.scan(from, to, reverse, (k, v) -> out.add(str(k) + "=" + str(v)));
    return out;
  }

  StorageEngine raw() {
    return ((GroupCommitStore) store).engine();
  }

  List<byte[]> expiryIndex() {
    List<byte[]> out = new ArrayList<>();
    raw().scan(ReservedKeys.EXPIRY_PREFIX, Keys.prefixEnd(ReservedKeys.EXPIRY_PREFIX), false, (k, v) -> out.add(k));
    return out;
  }

  List<String> groupIndex() {
    List<String> out = new ArrayList<>();
    raw().scan(ReservedKeys.GROUP_PREFIX, Keys.prefixEnd(ReservedKeys.GROUP_PREFIX), false, (k, v) -> {
      StringBuilder sb = new StringBuilder().append(ReservedKeys.expiryOf(k)).append(':');
      for (byte[] member : ReservedKeys.groupMembers(k, v)) {
        sb.append(' ').append(str(member));
      }
      return out.add(sb.toString());
    });
    return out;
  }

  void putAll(String... keys) throws Exception {
    WriteBatch b = new WriteBatch();
    for (String k : keys) {
      b.put(utf8(k), utf8("v" + k));
    }
    assertThat(done(store.commit(b))).isEqualTo(CommitResult.committed());
  }

  @Test
  void putGetDelete() throws Exception {
    assertThat(store.get(utf8("a"))).isNull();
    assertThat(done(store.put(utf8("a"), utf8("1")))).isEqualTo(CommitResult.committed());
    assertThat(str(store.get(utf8("a")))).isEqualTo("1");
    assertThat(done(store.put(utf8("a"), utf8("2"))).isCommitted()).isTrue();
    assertThat(str(store.get(utf8("a")))).isEqualTo("2");
    assertThat(done(store.delete(utf8("a"))).isCommitted()).isTrue();
    assertThat(store.get(utf8("a"))).isNull();
    assertThat(done(store.delete(utf8("never-written"))).isCommitted()).as("deleting the absent is fine").isTrue();
    assertThat(store.pendingWrites()).isZero();
  }

  @Test
  void deleteRangePlain_deletesTheHalfOpenRange_andOnlyTheWritesBeforeItInTheBatch() throws Exception {
    putAll("log/0", "log/1", "log/2", "log/3", "logz", "lo");
    WriteBatch trim = new WriteBatch().putPlain(utf8("log/25"), utf8("before"))
        .deleteRangePlain(utf8("log/"), utf8("log/3")).putPlain(utf8("log/27"), utf8("after"))
        .putPlain(utf8("log/0"), utf8("again"));

    assertThat(done(store.commit(trim)).isCommitted()).isTrue();

    assertThat(keys(null, null, false)).as("from inclusive, to exclusive; writes after the range stay")
        .containsExactly("lo=vlo", "log/0=again", "log/27=after", "log/3=vlog/3", "logz=vlogz");
    assertThat(store.get(utf8("log/1"))).isNull();
    assertThat(store.get(utf8("log/25"))).as("written before the range in the same batch").isNull();
    assertThatThrownBy(() -> new WriteBatch().deleteRangePlain(utf8("b"), utf8("a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WriteBatch().deleteRangePlain(utf8("a"), utf8("a")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyValueIsNotAbsence() throws Exception {
    done(store.put(utf8("e"), new byte[0]));
    assertThat(store.get(utf8("e"))).isEmpty();
  }

  @Test
  void reservedKeysAreRefusedAndNeverScanned() throws Exception {
    assertThatThrownBy(() -> store.get(new byte[] {0, 'm'})).isInstanceOf(IllegalArgumentException.class);
    done(store.commit(new WriteBatch().put(utf8("k"), utf8("v"), T0.plusSeconds(60))));
    assertThat(raw().get(ReservedKeys.FORMAT_VERSION)).as("the marker exists").isNotNull();
    assertThat(expiryIndex()).as("and an index entry").hasSize(1);

    assertThat(keys(null, null, false)).containsExactly("k=v");
    assertThat(keys(null, null, true)).containsExactly("k=v");
    assertThat(keys(new byte[] {0}, utf8("z"), false)).containsExactly("k=v");
    assertThat(keys(new byte[] {0}, new byte[] {0, 'z'}, true)).isEmpty();
  }

  @Test
  void scanRespectsBoundsInBothDirections() throws Exception {
    putAll("a", "b", "c", "d", "e");
    assertThat(keys(utf8("b"), utf8("d"), false)).containsExactly("b=vb", "c=vc");
    assertThat(keys(utf8("b"), utf8("d"), true)).containsExactly("c=vc", "b=vb");
    assertThat(keys(utf8("bb"), null, false)).containsExactly("c=vc", "d=vd", "e=ve");
    assertThat(keys(utf8("bb"), null, true)).containsExactly("e=ve", "d=vd", "c=vc");
    assertThat(keys(null, utf8("c"), true)).containsExactly("b=vb", "a=va");
    assertThat(keys(null, utf8("c"), false)).containsExactly("a=va", "b=vb");
    assertThat(keys(utf8("d"), utf8("b"), false)).as("from after to").isEmpty();
    assertThat(keys(utf8("c"), utf8("c"), true)).as("empty range").isEmpty();
  }

  @Test
  void keysOrderAsUnsignedBytes() throws Exception {
    byte[] high = {(byte) 0xC3, (byte) 0xA9};
    byte[] low = {0x7F};
    done(store.commit(new WriteBatch().put(high, utf8("high")).put(low, utf8("low"))));
    List<String> seen = new ArrayList<>();
    store.scan(null, null, false, (k, v) -> seen.add(str(v)));
    assertThat(seen).containsExactly("low", "high");
  }

  @Test
  void scanPrefix() throws Exception {
    putAll("id/app/1", "id/app/2", "id/apq/1", "id/ap", "other");
    List<String> fwd = new ArrayList<>();
    store.scanPrefix(utf8("id/app/"), false, (k, v) -> fwd.add(str(k)));
    assertThat(fwd).containsExactly("id/app/1", "id/app/2");
    List<String> rev = new ArrayList<>();
    store.scanPrefix(utf8("id/ap"), true, (k, v) -> rev.add(str(k)));
    assertThat(rev).containsExactly("id/apq/1", "id/app/2", "id/app/1", "id/ap");

    byte[] ff = {(byte) 0xFF, (byte) 0xFF};
    done(store.put(new byte[] {(byte) 0xFF, (byte) 0xFF, 1}, utf8("x")));
    List<String> top = new ArrayList<>();
    store.scanPrefix(ff, false, (k, v) -> top.add(str(v)));
    assertThat(top).as("a prefix without an end bound").containsExactly("x");
  }

  @Test
  void visitorStops() throws Exception {
    putAll("a", "b", "c", "d");
    List<String> fwd = new ArrayList<>();
    store.scan(null, null, false, (k, v) -> fwd.add(str(k)) && fwd.size() < 2);
    assertThat(fwd).containsExactly("a", "b");
    List<String> rev = new ArrayList<>();
    store.scan(null, null, true, (k, v) -> rev.add(str(k)) && false);
    assertThat(rev).containsExactly("d");
  }

  @Test
  void requireAbsent_commitsOnce_thenConflictsWritingNothing() throws Exception {
    byte[] k = utf8("idem/1");
    assertThat(done(store.commit(new WriteBatch().requireAbsent(k).put(k, utf8("first")))))
        .isEqualTo(CommitResult.committed());
    CommitResult second = done(store.commit(
        new WriteBatch().requireAbsent(k).put(k, utf8("second")).put(utf8("side"), utf8("effect"))));
    assertThat(second).isEqualTo(new CommitResult.Conflict(k));
    assertThat(str(store.get(k))).isEqualTo("first");
    assertThat(store.get(utf8("side"))).as("nothing of a conflicting batch is written").isNull();
  }

  @Test
  void requireValue_commitsOnMatch_conflictsOnMismatchOrAbsence() throws Exception {
    byte[] k = utf8("quota");
    done(store.put(k, utf8("1")));
    assertThat(done(store.commit(new WriteBatch().require(k, utf8("1")).put(k, utf8("2"))))).isEqualTo(CommitResult.committed());
    assertThat(done(store.commit(new WriteBatch().require(k, utf8("1")).put(k, utf8("3")))))
        .isEqualTo(new CommitResult.Conflict(k));
    assertThat(str(store.get(k))).isEqualTo("2");
    byte[] other = utf8("missing");
    assertThat(done(store.commit(new WriteBatch().require(other, utf8("x")).delete(k))))
        .isEqualTo(new CommitResult.Conflict(other));
    assertThat(str(store.get(k))).isEqualTo("2");
    assertThat(registry.get("switchboard.store.commits").tag("result", "conflict").counter().count()).isEqualTo(2);
  }

  @Test
  void concurrentConditionalCommits_exactlyOneWins() throws Exception {
    byte[] k = utf8("lock");
    List<CompletableFuture<CommitResult>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(store.commit(new WriteBatch().requireAbsent(k).put(k, utf8("owner-" + i))));
    }
    List<CommitResult> results = new ArrayList<>();
    for (CompletableFuture<CommitResult> f : all) {
      results.add(done(f));
    }
    assertThat(results).filteredOn(CommitResult::isCommitted).hasSize(1);
    int winner = results.indexOf(CommitResult.committed());
    assertThat(str(store.get(k))).isEqualTo("owner-" + winner);
  }

  @Test
  void ttl_visibleBeforeExpiry_hiddenAfter_thenSwept() throws Exception {
    byte[] k = utf8("session");
    done(store.commit(new WriteBatch().put(k, utf8("s"), T0.plusSeconds(30)).put(utf8("keep"), utf8("k"))));
    clock.advance(Duration.ofSeconds(29));
    assertThat(str(store.get(k))).isEqualTo("s");
    assertThat(keys(null, null, false)).containsExactly("keep=k", "session=s");

    clock.advance(Duration.ofSeconds(1));
    assertThat(store.get(k)).as("expired at expiresAt").isNull();
    assertThat(keys(null, null, false)).containsExactly("keep=k");
    assertThat(keys(null, null, true)).containsExactly("keep=k");
    assertThat(raw().get(k)).as("still stored until the sweep").isNotNull();
    assertThat(done(store.commit(new WriteBatch().requireAbsent(k)))).as("expired reads as absent")
        .isEqualTo(CommitResult.committed());

    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(raw().get(k)).isNull();
    assertThat(expiryIndex()).isEmpty();
    assertThat(str(store.get(utf8("keep")))).isEqualTo("k");
    assertThat(registry.get("switchboard.store.expired").counter().count()).isEqualTo(1);
  }

  @Test
  void onExpired_countsTheSweptEntriesUnderItsPrefix_onlyThoseThatExpired() throws Exception {
    java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    Runnable stop = store.onExpired(utf8("pend/"), pending::addAndGet);
    done(store.commit(new WriteBatch().put(utf8("pend/a"), utf8("1"), T0.plusSeconds(5))
        .put(utf8("pend/b"), utf8("1"), T0.plusSeconds(5)).put(utf8("pend/c"), utf8("1"), T0.plusSeconds(5))
        .put(utf8("other/x"), utf8("1"), T0.plusSeconds(5))));
    done(store.delete(utf8("pend/b"))); // acknowledged before it expired: not counted
    clock.advance(Duration.ofSeconds(5));

    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(pending.get()).isEqualTo(2);

    stop.run();
    done(store.commit(new WriteBatch().put(utf8("pend/d"), utf8("1"), T0.plusSeconds(6))));
    clock.advance(Duration.ofSeconds(1));
    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(pending.get()).as("no longer listening").isEqualTo(2);
  }

  @Test
  void newKeysOfOneBatchWithOneExpiry_shareOneGroupEntry_andTheSweepChecksEachMember() throws Exception {
    java.util.concurrent.atomic.AtomicInteger messages = new java.util.concurrent.atomic.AtomicInteger();
    store.onExpired(utf8("msg/"), messages::addAndGet);
    long at5 = T0.plusSeconds(5).toEpochMilli();
    done(store.commit(new WriteBatch()
        .putNew(utf8("msg/1"), utf8("m"), T0.plusSeconds(5))
        .putNew(utf8("pend/1"), utf8("p"), T0.plusSeconds(5))
        .putNew(utf8("pidx/1"), utf8("i"), T0.plusSeconds(5))
        .putNew(utf8("solo"), utf8("s"), T0.plusSeconds(9))
        .put(utf8("quota/1"), utf8("q"), T0.plusSeconds(5))));
    assertThat(groupIndex()).as("three new keys, one expiry: one entry").containsExactly(at5 + ": msg/1 pend/1 pidx/1");
    assertThat(expiryIndex()).as("a lone new key, and a put that may replace a value, keep the single-key form")
        .extracting(ReservedKeys::userKeyOf).extracting(StoreContractTest::str).containsExactly("quota/1", "solo");

    done(store.delete(utf8("pend/1"))); // acknowledged
    done(store.commit(new WriteBatch().put(utf8("pidx/1"), utf8("again"), T0.plusSeconds(60)))); // rewritten
    assertThat(groupIndex()).as("a group is never deleted before it is due").hasSize(1);

    clock.advance(Duration.ofSeconds(5));
    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS))
        .as("msg/1 and quota/1; pend/1 is gone and pidx/1 carries another expiry").isEqualTo(2);
    assertThat(raw().get(utf8("msg/1"))).isNull();
    assertThat(str(store.get(utf8("pidx/1")))).isEqualTo("again");
    assertThat(groupIndex()).isEmpty();
    assertThat(messages.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(55));
    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isEqualTo(2); // solo, pidx/1
    assertThat(keys(null, null, false)).isEmpty();
    assertThat(expiryIndex()).isEmpty();
  }

  @Test
  void aKeyNamedByAGroupAndBySingleEntryDueTogether_isSweptAndCountedOnce() throws Exception {
    done(store.commit(new WriteBatch().putNew(utf8("a"), utf8("1"), T0.plusSeconds(5))
        .putNew(utf8("b"), utf8("1"), T0.plusSeconds(5))));
    done(store.commit(new WriteBatch().put(utf8("b"), utf8("2"), T0.plusSeconds(5)))); // same expiry, own entry
    clock.advance(Duration.ofSeconds(5));
    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(registry.get("switchboard.store.expired").counter().count()).isEqualTo(2);
    assertThat(groupIndex()).isEmpty();
    assertThat(expiryIndex()).isEmpty();
  }

  @Test
  void overwriteWithoutTtl_clearsExpiry() throws Exception {
    byte[] k = utf8("k");
    done(store.commit(new WriteBatch().put(k, utf8("temp"), T0.plusSeconds(5))));
    assertThat(expiryIndex()).hasSize(1);
    done(store.put(k, utf8("forever")));
    assertThat(expiryIndex()).as("the old index entry is dropped with the overwrite").isEmpty();
    clock.advance(Duration.ofDays(1));
    assertThat(str(store.get(k))).isEqualTo("forever");
    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isZero();
    assertThat(str(store.get(k))).isEqualTo("forever");
  }

  @Test
  void overwriteAndDeleteInOneBatch_keepTheIndexExact() throws Exception {
    byte[] k = utf8("k");
    done(store.commit(new WriteBatch().put(k, utf8("a"), T0.plusSeconds(5)).put(k, utf8("b"), T0.plusSeconds(9))));
    assertThat(expiryIndex()).singleElement().satisfies(i -> {
      assertThat(ReservedKeys.expiryOf(i)).isEqualTo(T0.plusSeconds(9).toEpochMilli());
      assertThat(ReservedKeys.userKeyOf(i)).isEqualTo(k);
    });
    clock.advance(Duration.ofSeconds(6));
    assertThat(str(store.get(k))).isEqualTo("b");
    done(store.delete(k));
    assertThat(expiryIndex()).isEmpty();
  }

  @Test
  void putPlainAndDeletePlain_writeAndDeleteLikeTheirPlainCounterparts() throws Exception {
    byte[] k = utf8("feed/1");
    assertThat(done(store.commit(new WriteBatch().putPlain(k, utf8("one")))).isCommitted()).isTrue();
    assertThat(str(store.get(k))).isEqualTo("one");
    assertThat(done(store.commit(new WriteBatch().putPlain(k, utf8("two")).putPlain(utf8("feed/2"), utf8("x"))))
        .isCommitted()).isTrue();
    assertThat(keys(utf8("feed/"), Keys.prefixEnd(utf8("feed/")), false)).containsExactly("feed/1=two", "feed/2=x");
    assertThat(done(store.commit(new WriteBatch().deletePlain(k).deletePlain(utf8("feed/never")))).isCommitted())
        .isTrue();
    assertThat(store.get(k)).isNull();
    assertThat(expiryIndex()).isEmpty();
  }

  @Test
  void putPlain_overAnExpiringValue_leavesOnlyAnIndexEntryThatTheSweepDropsWithoutTouchingTheValue()
      throws Exception {
    byte[] k = utf8("k");
    done(store.commit(new WriteBatch().put(k, utf8("temp"), T0.plusSeconds(5))));
    done(store.commit(new WriteBatch().putPlain(k, utf8("forever"))));
    assertThat(expiryIndex()).as("the misuse costs an index entry, not data").hasSize(1);
    clock.advance(Duration.ofSeconds(6));
    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isZero();
    assertThat(str(store.get(k))).isEqualTo("forever");
    assertThat(expiryIndex()).isEmpty();
  }

  @Test
  void conditionsAndWritesOfOneRound_seeEachOther_throughTheRoundsReads() throws Exception {
    byte[] k = utf8("replay/1");
    done(store.commit(new WriteBatch().put(utf8("other"), utf8("o"), T0.plusSeconds(5))));
    // Queued back to back, these usually share one writer round, where the condition's read of k is remembered:
    // the first batch's write must still be seen by the next batches' conditions, and the index must stay exact.
    CompletableFuture<CommitResult> first =
        store.commit(new WriteBatch().requireAbsent(k).put(k, utf8("a"), T0.plusSeconds(9)));
    CompletableFuture<CommitResult> second =
        store.commit(new WriteBatch().requireAbsent(k).put(k, utf8("b"), T0.plusSeconds(9)));
    CompletableFuture<CommitResult> third =
        store.commit(new WriteBatch().require(k, utf8("a")).delete(k).delete(utf8("other")));
    assertThat(done(first).isCommitted()).isTrue();
    assertThat(done(second)).isEqualTo(new CommitResult.Conflict(k));
    assertThat(done(third).isCommitted()).isTrue();
    assertThat(store.get(k)).isNull();
    assertThat(expiryIndex()).as("both index entries dropped with their deletes").isEmpty();
  }

  @Test
  void engineApply_lastWriteToAKeyWinsWhateverTheOtherKeys() {
    // The RocksDB engine hands a write list to the memtable in key order; writes to one key must keep theirs.
    byte[] a = utf8("a");
    byte[] b = utf8("b");
    byte[] c = utf8("c");
    raw().apply(List.of(RawWrite.put(c, utf8("c1")), RawWrite.put(a, utf8("a1")), RawWrite.delete(c),
        RawWrite.put(b, utf8("b1")), RawWrite.put(c, utf8("c2")), RawWrite.put(a, utf8("a2")), RawWrite.delete(b)),
        true, true);
    assertThat(str(raw().get(a))).isEqualTo("a2");
    assertThat(raw().get(b)).as("put, then deleted").isNull();
    assertThat(str(raw().get(c))).as("put, deleted, put again").isEqualTo("c2");
  }

  @Test
  void sweep_skipsKeysRewrittenWithAnotherExpiry() throws Exception {
    byte[] k = utf8("k");
    done(store.commit(new WriteBatch().put(k, utf8("v"), T0.plusSeconds(100))));
    // A stale index entry: the sweep must check the envelope, not trust the index alone.
    raw().apply(List.of(RawWrite.put(ReservedKeys.expiryIndex(T0.plusSeconds(1).toEpochMilli(), k),
        ReservedKeys.EMPTY)), true, true);
    clock.advance(Duration.ofSeconds(2));
    assertThat(((GroupCommitStore) store).sweepNow().get(10, TimeUnit.SECONDS)).isZero();
    assertThat(str(store.get(k))).isEqualTo("v");
    assertThat(expiryIndex()).as("only the stale entry went").hasSize(1);
  }

  @Test
  void periodicSweepDeletesExpiredEntries() throws Exception {
    store.close();
    store = Stores.open(config().expirySweepInterval(Duration.ofMillis(10)).build(), clock, registry);
    byte[] k = utf8("k");
    done(store.commit(new WriteBatch().put(k, utf8("v"), T0.plusSeconds(1))));
    clock.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> raw().get(k) == null && expiryIndex().isEmpty());
  }

  @Test
  void close_completesAcceptedCommits_thenRefusesNew() throws Exception {
    List<CompletableFuture<CommitResult>> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      all.add(store.put(utf8("k" + i), utf8("v" + i)));
    }
    store.close();
    assertThat(all).allSatisfy(f -> assertThat(f).isCompletedWithValue(CommitResult.committed()));
    assertThat(store.pendingWrites()).isZero();
    assertThat(store.put(utf8("late"), utf8("x")))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(StoreException.class)
        .withMessageContaining("store is closed");
    store.close(); // idempotent
    assertThat(((GroupCommitStore) store).writerRunning()).isFalse();
  }

  @Test
  void metricsCountOutcomesAndPending() throws Exception {
    done(store.put(utf8("a"), utf8("1")));
    done(store.commit(new WriteBatch().requireAbsent(utf8("a"))));
    assertThat(registry.get("switchboard.store.commits").tag("result", "committed").counter().count()).isEqualTo(1);
    assertThat(registry.get("switchboard.store.commits").tag("result", "conflict").counter().count()).isEqualTo(1);
    assertThat(registry.get("switchboard.store.pending").gauge().value()).isZero();
    assertThat(registry.get("switchboard.store.sync").timer().count()).isPositive();
    store.close();
    assertThat(registry.find("switchboard.store.pending").gauge()).as("removed with the store").isNull();
  }
}
