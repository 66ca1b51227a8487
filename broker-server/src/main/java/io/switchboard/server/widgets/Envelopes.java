package io.switchboard.server.widgets;

import io.switchboard.server.http.Json;
import java.nio.charset.StandardCharsets;

/**
 * Builds the envelopes the broker sends (widgets.md §4, §5), members always in the spec's order:
 * {@code stream_id, author_id, to_user_id, message, timestamp, type, widget_key} and, on broadcasts, {@code seq}.
 */
final class Envelopes {
  private Envelopes() {}

  static byte[] envelope(String streamId, String authorId, String toUserId, String messageJson, String timestamp,
      String type, String widgetKey, long seq) {
    StringBuilder sb = new StringBuilder(128 + messageJson.length());
    sb.append("{\"stream_id\":").append(Json.quote(streamId))
        .append(",\"author_id\":").append(Json.quote(authorId))
        .append(",\"to_user_id\":").append(Json.quote(toUserId))
        .append(",\"message\":").append(messageJson)
        .append(",\"timestamp\":").append(timestamp)
        .append(",\"type\":").append(Json.quote(type))
        .append(",\"widget_key\":").append(Json.quote(widgetKey));
    if (seq >= 0) {
      sb.append(",\"seq\":").append(seq);
    }
    return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A broker event: author {@code "0"}, timestamp 0, no {@code seq} member. */
  static byte[] server(String streamId, String toUserId, String messageJson, String type, String widgetKey) {
    return envelope(streamId, "0", toUserId, messageJson, "0", type, widgetKey, -1);
  }

  static byte[] init(String streamId, String userId, String token, int viewers) {
    return server(streamId, userId, "{\"token\":" + Json.quote(token) + ",\"user_id\":" + Json.quote(userId)
        + ",\"viewer_count\":" + viewers + "}", "init", "");
  }

  static byte[] system(String streamId, String status, int viewers) {
    return server(streamId, "", "{\"status\":" + Json.quote(status) + ",\"viewer_count\":" + viewers + "}",
        "system", "");
  }
}
