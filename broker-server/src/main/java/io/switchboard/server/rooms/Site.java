package io.switchboard.server.rooms;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A site of the rooms dialect (rooms.md §1): its id, the HS256 secret of its tokens, allowed slugs ({@code *}: any),
 * privacy, CORS origins and an optional auth deadline override. Validates itself.
 */
public record Site(long siteId, String secret, List<String> slugs, boolean isPrivate, List<String> allowedOrigins,
    Duration authTimeout) {

  public Site {
    if (siteId < 1) {
      throw new IllegalArgumentException("siteId: an integer >= 1");
    }
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("secret: at least 32 bytes");
    }
    slugs = List.copyOf(slugs == null || slugs.isEmpty() ? List.of("*") : slugs);
    allowedOrigins = List.copyOf(allowedOrigins == null || allowedOrigins.isEmpty() ? List.of("*") : allowedOrigins);
    if (authTimeout != null && authTimeout.isNegative()) {
      throw new IllegalArgumentException("authTimeout: >= 0");
    }
  }

  boolean allows(String slug) {
    return slugs.contains("*") || slugs.contains(slug);
  }

  /** The value for Access-Control-Allow-Origin, or null when {@code origin} is not allowed. */
  String corsOrigin(String origin) {
    if (allowedOrigins.contains("*")) {
      return "*";
    }
    return origin != null && allowedOrigins.contains(origin) ? origin : null;
  }

  @Override
  public String toString() {
    return "Site[" + siteId + "]";
  }
}
