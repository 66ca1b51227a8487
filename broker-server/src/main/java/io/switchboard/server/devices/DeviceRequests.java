package io.switchboard.server.devices;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.deadline.DeadlineTimer;
import io.switchboard.core.deadline.PendingLimits;
import io.switchboard.core.deadline.PendingRequests;
import io.switchboard.core.deadline.Registration;
import io.switchboard.core.deadline.ReplyResult;
import io.switchboard.core.deadline.Resolution;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The devices dialect's pending Caller API requests, keyed by replyToken: each resolves exactly once (the
 * device's response, the reply deadline, or its connection closing), bounded per device and in total.
 */
final class DeviceRequests {
  /** What the broker remembers of a request it sent. */
  record Pending(String appKey, String deviceId, String action, String instanceId, DeviceConnection connection) {}

  private final PendingRequests<String, Pending, String> table;

  DeviceRequests(DeadlineTimer timer, int maxTotal, int maxPerDevice, Duration lateRetention, MeterRegistry meters) {
    this.table = new PendingRequests<>(DevicesService.DIALECT, timer,
        new PendingLimits(maxTotal, maxPerDevice, lateRetention, PendingLimits.DEFAULT_MAX_LATE_KEYS),
        p -> p.deviceId() != null ? p.deviceId() : p.connection(), meters);
  }

  Registration register(String replyToken, Duration deadline, Pending p, Executor executor,
      Consumer<? super Resolution<String, Pending, String>> onResolved) {
    return table.register(replyToken, deadline, p, executor, onResolved);
  }

  Pending pending(String replyToken) {
    return table.context(replyToken);
  }

  String instanceIdOf(String replyToken) {
    Pending p = table.context(replyToken);
    return p == null ? null : p.instanceId();
  }

  /** For a token with no pending request: true when it timed out recently (late), false if unknown. Counted. */
  boolean lateOrUnmatched(String replyToken) {
    return table.complete(replyToken, null) == ReplyResult.LATE;
  }

  /** Completes the request with the device's reply; false when it resolved meanwhile (deadline). */
  boolean complete(String replyToken, String reply) {
    return table.complete(replyToken, reply) == ReplyResult.COMPLETED;
  }

  /** Why a request failed when its device's response was accepted but could not be stored: the caller gets 500. */
  static final String STORE_FAILURE = "store_failure";

  /** The device's response could not be made durable: the request fails at once (500), not at its deadline. */
  boolean storeFailed(String replyToken) {
    return table.fail(replyToken, STORE_FAILURE);
  }

  /** The connection closed: its requests complete at once (504), since they may already have been carried out. */
  void connectionClosed(DeviceConnection c) {
    table.failAll(p -> p.connection() == c, "connection closed");
  }
}
