package io.switchboard.core.store;

import static io.switchboard.core.store.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many engine reads a writer round costs: the hot paths' batches are priced in reads. */
class WriteRoundTest {
  private static final long NOW = 1_000_000L;

  /** A memory engine that counts point reads. */
  private static final class CountingEngine implements StorageEngine {
    final MemoryEngine inner = new MemoryEngine();
    final List<String> reads = new ArrayList<>();

    @Override
    public byte[] get(byte[] key) {
      reads.add(new String(key, java.nio.charset.StandardCharsets.UTF_8));
      return inner.get(key);
    }

    @Override
    public void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor) {
      inner.scan(from, to, reverse, visitor);
    }

    @Override
    public void apply(List<RawWrite> writes, boolean walEnabled, boolean sync) {
      inner.apply(writes, walEnabled, sync);
    }

    @Override
    public void syncWal() {}

    @Override
    public String location() {
      return "counting";
    }

    @Override
    public void close() {}
  }

  @Test
  void conditionAndWriteOnOneKey_costOneRead_andPlainWritesNone() {
    CountingEngine engine = new CountingEngine();
    WriteRound round = new WriteRound(engine, NOW);
    byte[] replay = utf8("dev/replay/a");
    WriteBatch event = new WriteBatch().requireAbsent(replay).put(replay, new byte[0], Instant.ofEpochMilli(NOW + 60_000))
        .putPlain(utf8("dev/state/d"), utf8("{}")).putPlain(utf8("dev/feed/7"), utf8("{}"))
        .deletePlain(utf8("dev/feed/2"));

    assertThat(round.add(event).isCommitted()).isTrue();

    assertThat(engine.reads).as("one read for the replay key's condition and its write; none for plain writes")
        .containsExactly("dev/replay/a");
    assertThat(round.writes()).as("replay put + its expiry index entry, state, feed item, the trimmed item")
        .hasSize(5);
  }

  @Test
  void aRangeDelete_hidesTheRoundsEarlierWritesAndTheEnginesKeys_fromLaterConditions() {
    CountingEngine engine = new CountingEngine();
    engine.inner.apply(List.of(RawWrite.put(utf8("f/1"), Envelope.wrap(utf8("x"), null))), true, false);
    WriteRound round = new WriteRound(engine, NOW);
    assertThat(round.add(new WriteBatch().putPlain(utf8("f/2"), utf8("y"))).isCommitted()).isTrue();
    assertThat(round.add(new WriteBatch().require(utf8("f/2"), utf8("y"))).isCommitted())
        .as("the round reads its own plain write").isTrue();

    assertThat(round.add(new WriteBatch().deleteRangePlain(utf8("f/"), utf8("f/3"))).isCommitted()).isTrue();

    assertThat(round.add(new WriteBatch().requireAbsent(utf8("f/1")).requireAbsent(utf8("f/2"))).isCommitted())
        .as("both gone for the rest of the round, the engine's key unread").isTrue();
    assertThat(engine.reads).as("the range answers for the engine's key").isEmpty();
    assertThat(round.add(new WriteBatch().putPlain(utf8("f/2"), utf8("z")).require(utf8("f/3"), null)).isCommitted())
        .isTrue();
    assertThat(round.add(new WriteBatch().require(utf8("f/2"), utf8("z"))).isCommitted())
        .as("a write after the range stands").isTrue();
    assertThat(engine.reads).as("only f/3, outside the range, is read from the engine").containsExactly("f/3");
  }

  @Test
  void putNew_writesTheValueAndItsExpiryIndexEntry_withoutReading() {
    CountingEngine engine = new CountingEngine();
    WriteRound round = new WriteRound(engine, NOW);

    assertThat(round.add(new WriteBatch().putNew(utf8("bots/pending/r/1"), new byte[0],
        Instant.ofEpochMilli(NOW + 60_000))).isCommitted()).isTrue();

    assertThat(engine.reads).isEmpty();
    assertThat(round.writes()).as("the entry and its expiry index entry").hasSize(2);
  }

  @Test
  void newKeysOfAllTheRoundsBatches_shareOneIndexEntryPerExpiry_writtenAfterThem() {
    CountingEngine engine = new CountingEngine();
    WriteRound round = new WriteRound(engine, NOW);
    Instant retention = WriteBatch.groupableExpiry(Instant.ofEpochMilli(NOW + 604_800_123L));
    Instant quota = WriteBatch.groupableExpiry(Instant.ofEpochMilli(NOW + 70_001L));
    for (int m = 1; m <= 3; m++) { // three bots messages, each its own batch, as the writer merges them
      byte[] msg = utf8("bots/msg/" + m);
      assertThat(round.add(new WriteBatch().requireAbsent(msg).putNew(msg, utf8("{}"), retention)
          .putNew(utf8("bots/pend/r/" + m), new byte[0], retention).putNew(utf8("bots/pidx/r/" + m), msg, retention)
          .putNew(utf8("quota/s/" + m), new byte[4], quota)).isCommitted()).isTrue();
    }
    assertThat(round.add(new WriteBatch().requireAbsent(utf8("bots/msg/2")).putNew(utf8("bots/msg/2"), utf8("{}"),
        retention))).as("a repeat contributes nothing").isInstanceOf(CommitResult.Conflict.class);

    List<RawWrite> writes = round.writes();
    assertThat(writes).as("twelve values, then one group per expiry").hasSize(14);
    assertThat(writes.subList(0, 12)).noneMatch(w -> w.key()[0] == Keys.RESERVED);
    RawWrite messages = writes.get(12);
    assertThat(ReservedKeys.isGroup(messages.key())).isTrue();
    assertThat(ReservedKeys.expiryOf(messages.key())).isEqualTo(retention.toEpochMilli());
    assertThat(ReservedKeys.groupMembers(messages.key(), messages.value())).hasSize(9);
    assertThat(ReservedKeys.groupMembers(writes.get(13).key(), writes.get(13).value()))
        .extracting(k -> new String(k, java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("quota/s/1", "quota/s/2", "quota/s/3");
    assertThat(round.writes()).as("the index entries are added once").hasSize(14);
  }

  @Test
  void aGroupIsClosedAtItsBound_andAnotherBegun() {
    WriteRound round = new WriteRound(new CountingEngine(), NOW);
    Instant at = Instant.ofEpochMilli(NOW + 60_000);
    int n = WriteRound.ExpiryGroups.MAX_GROUP_KEYS * 2 + 1;
    WriteBatch batch = new WriteBatch();
    for (int i = 0; i < n; i++) {
      batch.putNew(utf8("k/" + i), new byte[0], at);
    }
    assertThat(round.add(batch).isCommitted()).isTrue();

    List<RawWrite> index = round.writes().subList(n, round.writes().size());
    assertThat(index).as("two full groups, then the last key in the single-key form").hasSize(3);
    assertThat(ReservedKeys.groupMembers(index.get(0).key(), index.get(0).value()))
        .hasSize(WriteRound.ExpiryGroups.MAX_GROUP_KEYS);
    assertThat(ReservedKeys.groupMembers(index.get(1).key(), index.get(1).value()).get(0))
        .isEqualTo(utf8("k/" + WriteRound.ExpiryGroups.MAX_GROUP_KEYS));
    assertThat(ReservedKeys.isGroup(index.get(2).key())).isFalse();
    assertThat(ReservedKeys.userKeyOf(index.get(2).key())).isEqualTo(utf8("k/" + (n - 1)));
  }

  @Test
  void groupableExpiry_roundsUpToAWholeSecond() {
    assertThat(WriteBatch.groupableExpiry(Instant.ofEpochMilli(5_000))).isEqualTo(Instant.ofEpochMilli(5_000));
    assertThat(WriteBatch.groupableExpiry(Instant.ofEpochMilli(5_001))).isEqualTo(Instant.ofEpochMilli(6_000));
    assertThat(WriteBatch.groupableExpiry(Instant.ofEpochSecond(5, 1))).isEqualTo(Instant.ofEpochMilli(6_000));
    assertThat(WriteBatch.groupableExpiry(Instant.ofEpochMilli(-1))).isEqualTo(Instant.EPOCH);
  }

  @Test
  void laterBatchesOfTheRound_readTheRoundsView_notTheEngineAgain() {
    CountingEngine engine = new CountingEngine();
    WriteRound round = new WriteRound(engine, NOW);
    byte[] k = utf8("bots/idem/1");

    assertThat(round.add(new WriteBatch().requireAbsent(k).put(k, utf8("a"))).isCommitted()).isTrue();
    assertThat(round.add(new WriteBatch().requireAbsent(k).put(k, utf8("b"))))
        .as("sees the first batch's write").isEqualTo(new CommitResult.Conflict(k));
    assertThat(round.add(new WriteBatch().deletePlain(k).requireAbsent(utf8("bots/idem/2"))).isCommitted()).isTrue();
    assertThat(round.add(new WriteBatch().requireAbsent(k)).isCommitted()).as("sees the plain delete").isTrue();

    assertThat(engine.reads).containsExactly("bots/idem/1", "bots/idem/2");
  }

  @Test
  void plainWritesEnterTheRoundsView_beforeItsNextRead_newestLast() {
    CountingEngine engine = new CountingEngine();
    WriteRound round = new WriteRound(engine, NOW);
    byte[] k = utf8("dev/state/d");

    assertThat(round.add(new WriteBatch().putPlain(k, utf8("a"))).isCommitted()).isTrue();
    assertThat(round.add(new WriteBatch().requireAbsent(k))).as("sees the plain put")
        .isEqualTo(new CommitResult.Conflict(k));
    assertThat(round.add(new WriteBatch().require(k, utf8("a")).putPlain(k, utf8("b"))).isCommitted()).isTrue();
    assertThat(round.add(new WriteBatch().putPlain(k, utf8("c"))).isCommitted()).isTrue();
    assertThat(round.add(new WriteBatch().require(k, utf8("b")))).as("the newest plain put wins over the view")
        .isEqualTo(new CommitResult.Conflict(k));
    assertThat(round.add(new WriteBatch().require(k, utf8("c"))).isCommitted()).isTrue();

    assertThat(engine.reads).as("every read of k answered by the round").isEmpty();
  }

  /**
   * Keys ending in a big-endian sequence number (a feed's items) must spread over a round's hash table: under
   * {@code Arrays.hashCode} seq 31 and seq 256 hash alike, so 4,096 consecutive items shared bins eight deep.
   */
  @Test
  void sequenceNumberedKeysSpreadOverTheRoundsTable() {
    byte[] prefix = utf8("dev/feed/5f361234-a3b7-4c3d-9e0e-e86724a91234/");
    int n = 4096;
    java.util.Set<Integer> polynomial = new java.util.HashSet<>();
    java.util.Set<Integer> mixed = new java.util.HashSet<>();
    int[] bins = new int[n];
    for (long seq = 0; seq < n; seq++) {
      byte[] key = Keys.withLong(prefix, 1_000_000 + seq);
      polynomial.add(java.util.Arrays.hashCode(key));
      int h = (int) Keys.hash64(key); // what the round's RoundKey uses
      mixed.add(h);
      bins[(h ^ (h >>> 16)) & (n - 1)]++; // HashMap's spread and index
    }
    assertThat(polynomial.size()).as("the 31-polynomial collides on these keys").isLessThan(n / 2);
    assertThat(mixed).as("no two keys share a hash").hasSize(n);
    assertThat(java.util.Arrays.stream(bins).max().getAsInt()).as("deepest bin").isLessThan(8);
  }
}
