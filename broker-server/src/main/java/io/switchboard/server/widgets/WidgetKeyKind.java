package io.switchboard.server.widgets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.identity.IdentityKind;
import io.switchboard.server.admin.IdentityJson;
import java.nio.charset.StandardCharsets;

/**
 * Widget keys as an admin resource ({@code /admin/v1/widget-keys}) and config declarations
 * ({@code identities.widget-keys}): {@code {"key","streams","allowedOrigins","webhooks"}}. A widget key is not a
 * secret (it ships in every page), so nothing is redacted.
 */
public final class WidgetKeyKind implements IdentityKind<WidgetKey> {
  public static final WidgetKeyKind INSTANCE = new WidgetKeyKind();
  private static final ObjectMapper JSON = new ObjectMapper();

  private WidgetKeyKind() {}

  @Override
  public String name() {
    return "widget-keys";
  }

  @Override
  public String idOf(WidgetKey k) {
    return k.key();
  }

  @Override
  public byte[] encode(WidgetKey k) {
    return json(k).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public WidgetKey decode(byte[] json) {
    JsonNode o = IdentityJson.object(json);
    JsonNode key = o.get("key");
    JsonNode webhooks = o.get("webhooks");
    if (webhooks != null && !webhooks.isNull() && !webhooks.isBoolean()) {
      throw new IllegalArgumentException("webhooks: true or false");
    }
    return new WidgetKey(key == null || !key.isTextual() ? null : key.asText(),
        IdentityJson.stringList(o, "streams"), IdentityJson.stringList(o, "allowedOrigins"),
        webhooks == null || webhooks.isNull() || webhooks.asBoolean());
  }


  @Override
  public String toRedactedJson(WidgetKey k) {
    return json(k).toString();
  }

  private static ObjectNode json(WidgetKey k) {
    ObjectNode o = JSON.createObjectNode().put("key", k.key());
    ArrayNode streams = o.putArray("streams");
    k.streams().forEach(streams::add);
    ArrayNode origins = o.putArray("allowedOrigins");
    k.allowedOrigins().forEach(origins::add);
    o.put("webhooks", k.webhooks());
    return o;
  }
}
