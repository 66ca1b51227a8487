package io.switchboard.core.deadline;

/** How a pending request ended. */
public enum Outcome {
  /** Its reply arrived before the deadline. */
  COMPLETED,
  /** The deadline passed first; a reply that comes later is {@link ReplyResult#LATE}. */
  TIMED_OUT,
  /** Cancelled by its caller. */
  CANCELLED,
  /** Failed by {@link PendingRequests#fail} or {@link PendingRequests#failAll}, e.g. the connection closed. */
  FAILED
}
