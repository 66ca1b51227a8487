package io.switchboard.core.stream;

/** What a stream does with a subscriber whose bounded queue is full because its socket is not writable. */
public enum SlowConsumerPolicy {
  /** Drop the oldest queued message (counted), keep the subscriber. For feeds that a client can re-request. */
  DROP_OLDEST,
  /** Disconnect the subscriber (WebSocket close 1008 {@code slow consumer}, or end the SSE stream). */
  DISCONNECT
}
