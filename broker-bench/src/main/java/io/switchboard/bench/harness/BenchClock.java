package io.switchboard.bench.harness;

/**
 * One monotonic time base for the client JVM: send times embedded in messages are nanoseconds since this epoch, so
 * they are small non-negative numbers that every event loop of the client can subtract from its own reading.
 */
public final class BenchClock {
  private static final long EPOCH = System.nanoTime();

  private BenchClock() {}

  /** Nanoseconds since the client's epoch. */
  public static long now() {
    return System.nanoTime() - EPOCH;
  }
}
