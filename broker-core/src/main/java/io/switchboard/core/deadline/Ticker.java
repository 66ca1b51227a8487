package io.switchboard.core.deadline;

/**
 * Monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean anything. Injected so that
 * tests move time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
  /** The system's monotonic clock. */
  Ticker SYSTEM = System::nanoTime;

  long nanoTime();
}
