package io.switchboard.core.deadline;

/** What {@link PendingRequests#complete} made of a reply. */
public enum ReplyResult {
  /** It completed its pending request. */
  COMPLETED,
  /** Its request already timed out (the key is remembered for the late retention). */
  LATE,
  /** No pending request has this key: never registered, already resolved, or forgotten since it timed out. */
  UNKNOWN
}
