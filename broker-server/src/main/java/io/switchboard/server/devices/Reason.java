package io.switchboard.server.devices;

/** Why an inbound device message was dropped (devices.md §8.2); {@code F} reasons count against the budget. */
enum Reason {
  MALFORMED("malformed", true),
  UNSUPPORTED_VERSION("unsupported_version", true),
  MISSING_SIGNATURE("missing_signature", true),
  BAD_SIGNATURE("bad_signature", true),
  STALE_TIMESTAMP("stale_timestamp", true),
  REPLAY("replay", true),
  FOREIGN_DEVICE("foreign_device", true),
  MISSING_DEVICE_ID("missing_device_id", true),
  UNMATCHED_RESPONSE("unmatched_response", false),
  LATE_RESPONSE("late_response", false),
  RATE_LIMITED("rate_limited", false),
  UNSUPPORTED_MESSAGE("unsupported_message", false);

  final String metric;
  final boolean countsAsFailure;

  Reason(String metric, boolean countsAsFailure) {
    this.metric = metric;
    this.countsAsFailure = countsAsFailure;
  }
}
