package io.switchboard.server.widgets;

/**
 * A failed widgets check (widgets.md §8): HTTP status, the {@code message} text and the metric reason. Thrown
 * without a stack trace: refusals are control flow.
 */
final class Refusal extends RuntimeException {
  final int status;
  final String reason;

  Refusal(int status, String message, String reason) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }
}
