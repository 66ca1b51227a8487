package io.switchboard.core.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Turns the batches of one writer round into one engine write. Batches are merged so that a round costs one
 * engine write (and, under {@code BATCH}, rides on one fsync); the overlay makes each batch's conditions see the
 * batches before it in the same round, exactly as if they had been applied one by one.
 *
 * <p>Besides the enveloped value, a put with an expiry adds an expiry index entry, and any write but a plain one
 * ({@link WriteBatch#putPlain}) drops the index entry of the value it replaces, so the index stays close to the
 * live data. Every key read from the engine is remembered for the rest of the round (the writer is the only one
 * writing), so a condition and a write on the same key cost one engine read. Used by the writer thread only.
 */
final class WriteRound {
  private static final byte[] DELETED = new byte[0]; // overlay marker: absent; real envelopes are never empty

  private final StorageEngine engine;
  private final long nowMillis;
  /** Each key's value as of this round (written or read); hashed, not sorted: only point lookups use it. */
  private final HashMap<RoundKey, byte[]> overlay = new HashMap<>();
  private final List<RawWrite> writes = new ArrayList<>();

  WriteRound(StorageEngine engine, long nowMillis) {
    this.engine = engine;
    this.nowMillis = nowMillis;
  }

  /**
   * Adds {@code batch} if its conditions hold against the engine plus this round so far.
   *
   * @return {@link CommitResult.Committed}, or a {@link CommitResult.Conflict} naming the first failing key (the
   *     batch then contributes nothing)
   */
  CommitResult add(WriteBatch batch) {
    for (WriteBatch.Condition c : batch.conditions()) {
      byte[] live = Envelope.liveValue(current(new RoundKey(c.key())), nowMillis);
      if (!Arrays.equals(live, c.expected())) {
        return new CommitResult.Conflict(c.key());
      }
    }
    for (WriteBatch.Op op : batch.ops()) {
      RoundKey key = new RoundKey(op.key());
      byte[] old = op.plain() ? null : current(key);
      if (old != null && Envelope.hasExpiry(old)) {
        writes.add(RawWrite.delete(ReservedKeys.expiryIndex(Envelope.expiresAt(old), op.key())));
      }
      if (op.value() == null) {
        if (old != null || op.plain()) {
          writes.add(RawWrite.delete(op.key()));
          overlay.put(key, DELETED);
        }
        continue;
      }
      byte[] env = Envelope.wrap(op.value(), op.expiresAt());
      writes.add(RawWrite.put(op.key(), env));
      if (Envelope.hasExpiry(env)) {
        writes.add(RawWrite.put(ReservedKeys.expiryIndex(Envelope.expiresAt(env), op.key()), ReservedKeys.EMPTY));
      }
      overlay.put(key, env);
    }
    return CommitResult.committed();
  }

  /** The raw writes gathered so far, in order. */
  List<RawWrite> writes() {
    return writes;
  }

  private byte[] current(RoundKey key) {
    byte[] v = overlay.get(key);
    if (v == null) {
      v = engine.get(key.bytes);
      overlay.put(key, v == null ? DELETED : v);
    }
    return v == DELETED ? null : v;
  }

  /**
   * A key compared by content; keys are never modified once in a batch. Hashed eight bytes at a time with a
   * multiply-xorshift mix rather than {@link Arrays#hashCode(byte[])}: keys ending in a big-endian sequence number
   * (feed items, {@link Keys#withLong}) collide under the 31-polynomial (seq 31 and seq 256 hash alike), which
   * measured as treeified HashMap bins, a fifth of the writer's samples under {@code bench devices --max}.
   */
  static final class RoundKey {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final byte[] bytes;
    private final int hash;

    RoundKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = hash(bytes);
    }

    static int hash(byte[] key) {
      long h = key.length * MIX;
      int i = 0;
      for (; i + 8 <= key.length; i += 8) {
        h = (h ^ (long) LONGS.get(key, i)) * MIX;
        h ^= h >>> 29;
      }
      long tail = 0;
      for (int shift = 0; i < key.length; i++, shift += 8) {
        tail |= (key[i] & 0xFFL) << shift;
      }
      h = (h ^ tail) * MIX;
      h ^= h >>> 32;
      return (int) h;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RoundKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
