package io.switchboard.server.widgets;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A widget key (widgets.md §1): a UUID, the streams it may publish to ({@code *}: any), its CORS origins and
 * whether it may request webhooks. Validates itself.
 */
public record WidgetKey(String key, List<String> streams, List<String> allowedOrigins, boolean webhooks) {
  static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public WidgetKey {
    if (key == null) {
      throw new IllegalArgumentException("key: a UUID such as 6b9f652a-63fd-47d7-a3bc-418c1096eb8c");
    }
    try {
      UUID.fromString(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key: a UUID such as 6b9f652a-63fd-47d7-a3bc-418c1096eb8c");
    }
    if (key.length() != 36) {
      throw new IllegalArgumentException("key: a UUID such as 6b9f652a-63fd-47d7-a3bc-418c1096eb8c");
    }
    key = key.toLowerCase(java.util.Locale.ROOT);
    if (streams == null || streams.isEmpty()) {
      throw new IllegalArgumentException("streams: a non-empty list of stream ids, or [\"*\"]");
    }
    streams = List.copyOf(streams);
    for (String s : streams) {
      if (!s.equals("*") && !STREAM_ID.matcher(s).matches()) {
        throw new IllegalArgumentException("streams: " + s + " is not a stream id (1-64 of [A-Za-z0-9_-]) or *");
      }
    }
    allowedOrigins = List.copyOf(allowedOrigins == null || allowedOrigins.isEmpty() ? List.of("*") : allowedOrigins);
  }

  /** Whether this key may publish to {@code streamId}. */
  boolean allows(String streamId) {
    return streams.contains("*") || streams.contains(streamId);
  }

  /** The value for Access-Control-Allow-Origin, or null when {@code origin} is not allowed. */
  String corsOrigin(String origin) {
    if (allowedOrigins.contains("*")) {
      return "*";
    }
    return origin != null && allowedOrigins.contains(origin) ? origin : null;
  }
}
