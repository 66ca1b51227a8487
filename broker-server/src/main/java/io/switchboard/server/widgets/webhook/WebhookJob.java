package io.switchboard.server.widgets.webhook;

import java.util.Objects;
import java.util.UUID;

/**
 * One webhook delivery: POST {@code body} (JSON) to {@code url}. {@code deliveryId} is sent as
 * {@code X-Switchboard-Delivery} on every attempt; {@code streamId} as {@code X-Switchboard-Stream}.
 */
public record WebhookJob(WebhookUrl url, byte[] body, String streamId, UUID deliveryId) {

  public WebhookJob {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(deliveryId, "deliveryId");
    if (streamId.indexOf('\r') >= 0 || streamId.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("streamId contains a line break");
    }
  }

  /** A job with a fresh random delivery id. */
  public static WebhookJob of(WebhookUrl url, byte[] body, String streamId) {
    return new WebhookJob(url, body, streamId, UUID.randomUUID());
  }
}
