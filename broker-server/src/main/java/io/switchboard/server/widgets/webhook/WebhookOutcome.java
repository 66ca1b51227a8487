package io.switchboard.server.widgets.webhook;

/**
 * The outcome of a webhook job, relayed to the sender as the {@code message} of a {@code webhook} event (§5.6).
 *
 * @param url the job's URL as given by the sender (also after redirects, so the sender can correlate)
 * @param status the final HTTP status, or 0 when there was none (always 0 when {@code error} is set)
 * @param ok true for a 2xx status
 * @param body the response body decoded as UTF-8 with replacement, cut at {@code maxBodyBytes}
 * @param truncated true when the body was longer than {@code maxBodyBytes}
 * @param attempts attempts made (1 + retries); redirect hops belong to their attempt
 * @param error the failure, or null
 */
public record WebhookOutcome(String url, int status, boolean ok, String body, boolean truncated, int attempts,
    WebhookError error) {

  /** The {@code error} wire name, or null. */
  public String errorName() {
    return error == null ? null : error.wireName();
  }

  static WebhookOutcome failure(String url, int attempts, WebhookError error) {
    return new WebhookOutcome(url, 0, false, "", false, attempts, error);
  }
}
