package io.switchboard.core.deadline;

/** How one pending request ended; handed exactly once to its callback, on its executor. */
public interface Resolution<K, C, R> {
  K key();

  C context();

  Outcome outcome();

  /** The reply when {@link Outcome#COMPLETED}, else null. */
  R reply();

  /** The reason given to {@link PendingRequests#failAll} when {@link Outcome#FAILED}, else null. */
  String failure();

  /** The deadline it was registered with. */
  long deadlineNanos();

  /**
   * Ticker nanoseconds from registration to resolution. For {@link Outcome#TIMED_OUT} this is the wheel's own
   * measurement at firing, before the callback waited for its executor: at least {@link #deadlineNanos()}.
   */
  long elapsedNanos();
}
