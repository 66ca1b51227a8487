package io.switchboard.bench.harness;

/**
 * The send slots of one open-loop sender: slot {@code i} is due at {@code start + i / rate}, whatever happened to
 * earlier slots. A sender polls {@link #nextDue(long)} from a periodic tick and sends every slot that is due, with
 * that slot's intended time embedded; latency is then measured from the slot, not from when the send got round to
 * it, so a server that stalls the client cannot hide the stall (coordinated omission). Not thread-safe: one event
 * loop owns it.
 */
public final class OpenLoopSchedule {
  private final long startNanos;
  private final double intervalNanos;
  private long next;

  /**
   * @param startNanos time of slot 0 ({@link BenchClock})
   * @param ratePerSecond slots per second, > 0
   */
  public OpenLoopSchedule(long startNanos, double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate: " + ratePerSecond + " (expected: > 0)");
    }
    this.startNanos = startNanos;
    this.intervalNanos = 1e9 / ratePerSecond;
  }

  /** Intended time of slot {@code i}. */
  public long intendedTime(long i) {
    return startNanos + (long) (i * intervalNanos);
  }

  /**
   * The intended time of the next slot if it is due at {@code nowNanos} (and takes it), otherwise {@code -1}.
   */
  public long nextDue(long nowNanos) {
    long t = intendedTime(next);
    if (t > nowNanos) {
      return -1;
    }
    next++;
    return t;
  }

  /** Slots taken so far. */
  public long taken() {
    return next;
  }
}
