package io.switchboard.server.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.config.Durations;
import io.switchboard.core.identity.IdentityKind;
import io.switchboard.server.admin.IdentityJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sites as an admin resource ({@code /admin/v1/sites}) and config declarations ({@code identities.sites}):
 * {@code {"siteId","secret","slugs","private","allowedOrigins","authTimeout"}}; the secret is redacted when shown.
 */
public final class SiteKind implements IdentityKind<Site> {
  public static final SiteKind INSTANCE = new SiteKind();
  private static final ObjectMapper JSON = new ObjectMapper();

  private SiteKind() {}

  @Override
  public String name() {
    return "sites";
  }

  @Override
  public String idOf(Site s) {
    return Long.toString(s.siteId());
  }

  @Override
  public byte[] encode(Site s) {
    return json(s, false).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Site decode(byte[] json) {
    JsonNode o = IdentityJson.object(json);
    JsonNode id = o.get("siteId");
    if (id == null || !(id.isIntegralNumber() || id.isTextual())) {
      throw new IllegalArgumentException("siteId: an integer >= 1");
    }
    long siteId;
    try {
      siteId = id.isIntegralNumber() ? id.asLong() : Long.parseLong(id.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("siteId: an integer >= 1");
    }
    JsonNode secret = o.get("secret");
    Duration authTimeout = null;
    if (o.hasNonNull("authTimeout")) {
      try {
        authTimeout = Durations.parse("authTimeout", o.get("authTimeout").asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("authTimeout: a duration such as 10s");
      }
    }
    return new Site(siteId, secret == null || !secret.isTextual() ? null : secret.asText(),
        IdentityJson.stringList(o, "slugs"), o.path("private").asBoolean(false),
        IdentityJson.stringList(o, "allowedOrigins"), authTimeout);
  }


  @Override
  public String toRedactedJson(Site s) {
    return json(s, true).toString();
  }

  private static ObjectNode json(Site s, boolean redact) {
    ObjectNode o = JSON.createObjectNode().put("siteId", s.siteId()).put("secret", redact ? "<redacted>" : s.secret());
    ArrayNode slugs = o.putArray("slugs");
    s.slugs().forEach(slugs::add);
    o.put("private", s.isPrivate());
    ArrayNode origins = o.putArray("allowedOrigins");
    s.allowedOrigins().forEach(origins::add);
    if (s.authTimeout() != null) {
      o.put("authTimeout", Durations.format(s.authTimeout()));
    }
    return o;
  }
}
