package io.switchboard.server.devices;

import io.switchboard.core.store.Keys;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The replay keys (devices.md §3.2 step 7) committed by this process within the replay window, as Bloom filters:
 * "certainly not seen" lets a fresh message skip the store read that step 7 otherwise costs (a JNI point read per
 * message, 12% of the event loops' samples under {@code bench devices --max}). "Maybe seen" still reads the store,
 * so a false positive costs one read; copies in flight together are {@link ReplayKeysInFlight}'s part.
 *
 * <p>There are no false negatives while (a) every replay key is {@link #add added} before its commit is queued,
 * (b) the filters are seeded with the keys already stored when the process starts, and (c) this process is the only
 * writer of replay keys. (c) holds for the embedded stores; a store shared between nodes (Redis, planned) must not
 * use this class.
 *
 * <p>Keys go into the newest of a few generations. A generation stops taking keys when it is full or a replay
 * window old, and is dropped a replay window (plus a second's grace for adds racing the switch) after that, so
 * every key is remembered at least as long as the store keeps it. Each generation is sized from the last one's
 * count (between {@link #MIN_KEYS} and {@link #MAX_KEYS}, 10 bits per key, about 1% false positives); past
 * {@link #MAX_TOTAL_BITS} the newest one just fills up, and more keys read the store. Blocked filter: a key's six
 * bits sit in one 64-byte block, one cache miss per generation. Thread-safe: bits are set atomically; a reader
 * that does not see a racing add yet is racing a message in flight, which {@link ReplayKeysInFlight} refuses.
 */
final class RecentReplayKeys {
  static final int MIN_KEYS = 1 << 16;
  static final int MAX_KEYS = 1 << 23;
  static final long MAX_TOTAL_BITS = 1L << 28;
  private static final int BITS_PER_KEY = 10;
  private static final int BLOCK_WORDS = 8;
  private static final int PROBES = 6;
  private static final long GRACE_MILLIS = 1000;
  private static final long MIX = 0x9E3779B97F4A7C15L;
  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long keepMillis;
  private final LongSupplier clock;
  private final long maxTotalBits;
  /** Newest first; replaced, never changed, under {@link #rotation}. */
  private volatile Generation[] live;
  private final Object rotation = new Object();
  /** After a rotation refused for the memory budget, when to try again (not on every add). */
  private volatile long retryRotationAt;

  /**
   * @param keepMillis how long the store keeps a replay key (2 × the verify window)
   * @param clock wall-clock millis
   */
  RecentReplayKeys(long keepMillis, LongSupplier clock) {
    this(keepMillis, clock, MAX_TOTAL_BITS);
  }

  /** With a smaller memory budget than {@link #MAX_TOTAL_BITS}, for tests. */
  RecentReplayKeys(long keepMillis, LongSupplier clock, long maxTotalBits) {
    this.keepMillis = keepMillis;
    this.clock = clock;
    this.maxTotalBits = maxTotalBits;
    this.live = new Generation[] {new Generation(MIN_KEYS, clock.getAsLong())};
  }

  /** Remembers {@code key}; call before queueing the commit that stores it. */
  void add(byte[] key) {
    add(Keys.hash64(key));
  }

  /** {@link #add(byte[])} by the key's {@link Keys#hash64}. */
  void add(long h) {
    Generation g = live[0];
    g.set(h);
    int added = ++g.added; // racy: a lost increment only sizes the next generation a little small
    if (added > g.capacity || clock.getAsLong() - g.startMillis >= keepMillis) {
      rotate(g);
    }
  }

  /** False when {@code key} was certainly not {@link #add added} within the replay window. */
  boolean mayContain(byte[] key) {
    return mayContain(Keys.hash64(key));
  }

  /** {@link #mayContain(byte[])} by the key's {@link Keys#hash64}. */
  boolean mayContain(long h) {
    for (Generation g : live) {
      if (g.contains(h)) {
        return true;
      }
    }
    return false;
  }

  /** Generations held now (for tests and sizing checks). */
  int generations() {
    return live.length;
  }

  private void rotate(Generation full) {
    long now = clock.getAsLong();
    if (now < retryRotationAt) {
      return;
    }
    synchronized (rotation) {
      Generation[] gens = live;
      if (gens[0] != full) {
        return; // another thread rotated
      }
      int capacity = full.added > full.capacity
          ? Math.min(MAX_KEYS, full.capacity * 2)
          : Math.max(MIN_KEYS, Math.min(MAX_KEYS, Integer.highestOneBit(Math.max(1, full.added)) * 2));
      List<Generation> kept = new ArrayList<>(gens.length + 1);
      long bits = Generation.bitsFor(capacity);
      for (int i = 0; i < gens.length; i++) {
        Generation g = gens[i];
        long end = i == 0 ? now : g.endMillis;
        if (end + keepMillis + GRACE_MILLIS >= now) {
          kept.add(g);
          bits += g.bits();
        }
      }
      if (bits > maxTotalBits) {
        retryRotationAt = now + GRACE_MILLIS; // the newest keeps filling; more keys go to the store
        return;
      }
      full.endMillis = now;
      kept.add(0, new Generation(capacity, now));
      live = kept.toArray(new Generation[0]);
    }
  }

  private static final class Generation {
    final long[] words;
    final int blockMask;
    final int capacity;
    final long startMillis;
    volatile long endMillis = Long.MAX_VALUE;
    int added;

    Generation(int capacity, long startMillis) {
      this.capacity = capacity;
      this.startMillis = startMillis;
      int blocks = (int) (bitsFor(capacity) / (BLOCK_WORDS * 64));
      this.words = new long[blocks * BLOCK_WORDS];
      this.blockMask = blocks - 1;
    }

    /** A power of two of at least {@link #BITS_PER_KEY} bits per key. */
    static long bitsFor(int capacity) {
      return Long.highestOneBit((long) capacity * BITS_PER_KEY - 1) << 1;
    }

    long bits() {
      return (long) words.length * 64;
    }

    void set(long h) {
      int base = block(h);
      long probe = h * MIX;
      for (int p = 0; p < PROBES; p++) {
        int bit = bit(probe, p);
        WORDS.getAndBitwiseOr(words, base + (bit >>> 6), 1L << bit);
      }
    }

    boolean contains(long h) {
      int base = block(h);
      long probe = h * MIX;
      for (int p = 0; p < PROBES; p++) {
        int bit = bit(probe, p);
        if ((words[base + (bit >>> 6)] & (1L << bit)) == 0) {
          return false;
        }
      }
      return true;
    }

    /** First word of the key's 64-byte block, from the hash's high bits. */
    private int block(long h) {
      return ((int) (h >>> 40) & blockMask) * BLOCK_WORDS;
    }

    /** The {@code p}th of the key's bits in its block: 9 bits of {@code probe} (the mixed hash), from the top. */
    private static int bit(long probe, int p) {
      return (int) (probe >>> (55 - 9 * p)) & 511;
    }
  }
}
