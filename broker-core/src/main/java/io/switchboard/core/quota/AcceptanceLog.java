package io.switchboard.core.quota;

/**
 * One principal's acceptances inside the window: a ring of (millisecond, count) buckets in time order, plus their
 * running total. Time is millisecond-granular, so per-millisecond counts are exact: the window's edge falls between
 * buckets, never inside one. Only milliseconds that accepted something take a bucket, so memory follows use (12 bytes
 * a bucket; at most one per millisecond of the window) rather than the window's length.
 *
 * <p>Not thread-safe: its {@link PrincipalWindow} guards it.
 */
final class AcceptanceLog {
  private static final int INITIAL = 8;

  private long[] millis = new long[INITIAL];
  private int[] counts = new int[INITIAL];
  private int head;
  private int size;
  private long total;

  /** Acceptances in the buckets still held. */
  long total() {
    return total;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The newest bucket's millisecond, or {@link Long#MIN_VALUE} when empty. */
  long lastMillis() {
    return size == 0 ? Long.MIN_VALUE : millis[index(size - 1)];
  }

  /** Drops the buckets older than {@code oldestCounted}; shrinks the ring when it empties after a burst. */
  void expire(long oldestCounted) {
    while (size > 0 && millis[head] < oldestCounted) {
      total -= counts[head];
      head = (head + 1) & (millis.length - 1);
      size--;
    }
    if (size == 0 && millis.length > INITIAL) {
      millis = new long[INITIAL];
      counts = new int[INITIAL];
      head = 0;
    }
  }

  /** Adds {@code n} acceptances at {@code ms}, which must not be before {@link #lastMillis()}. */
  void add(long ms, int n) {
    long last = lastMillis();
    if (ms < last) {
      throw new IllegalArgumentException("acceptances must be added in time order: " + ms + " < " + last);
    }
    if (ms == last) {
      counts[index(size - 1)] += n;
    } else {
      if (size == millis.length) {
        grow();
      }
      int i = index(size++);
      millis[i] = ms;
      counts[i] = n;
    }
    total += n;
  }

  /** Takes back {@code n} acceptances at {@code ms}; nothing to do when that bucket has already expired. */
  void remove(long ms, int n) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long m = millis[index(mid)];
      if (m < ms) {
        lo = mid + 1;
      } else if (m > ms) {
        hi = mid - 1;
      } else {
        int i = index(mid);
        int taken = Math.min(n, counts[i]);
        counts[i] -= taken;
        total -= taken;
        return;
      }
    }
  }

  /**
   * The millisecond of the bucket whose expiry brings the oldest {@code needed} acceptances out of the window, or
   * {@link Long#MIN_VALUE} if fewer than {@code needed} are held.
   */
  long millisFreeing(long needed) {
    long freed = 0;
    for (int k = 0; k < size; k++) {
      int i = index(k);
      freed += counts[i];
      if (freed >= needed) {
        return millis[i];
      }
    }
    return Long.MIN_VALUE;
  }

  private int index(int k) {
    return (head + k) & (millis.length - 1);
  }

  private void grow() {
    long[] m = new long[millis.length * 2];
    int[] c = new int[counts.length * 2];
    for (int k = 0; k < size; k++) {
      m[k] = millis[index(k)];
      c[k] = counts[index(k)];
    }
    millis = m;
    counts = c;
    head = 0;
  }
}
