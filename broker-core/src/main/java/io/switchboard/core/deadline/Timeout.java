package io.switchboard.core.deadline;

/** A deadline scheduled on a {@link DeadlineTimer}. Thread-safe; it fires or is cancelled, never both. */
public interface Timeout {
  /**
   * Cancels this timeout in O(1): it leaves its bucket at once and its task never runs.
   *
   * @return true if this call cancelled it; false if it had already fired or been cancelled
   */
  boolean cancel();

  boolean isExpired();

  boolean isCancelled();

  /** Ticker time when it was scheduled. */
  long scheduledAtNanos();

  /** The delay it was scheduled with. */
  long delayNanos();

  /**
   * Ticker nanoseconds from scheduling to firing, read by the wheel when it fired (before the task was handed to its
   * executor); at least {@link #delayNanos()}. -1 unless {@link #isExpired()}.
   */
  long elapsedNanos();
}
