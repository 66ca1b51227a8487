package io.switchboard.server.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.identity.IdentityKind;
import io.switchboard.server.admin.IdentityJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Apps as an admin resource ({@code /admin/v1/apps}) and as config declarations ({@code identities.apps}):
 * {@code {"appKey","appSecret","apiKey","deviceIds":[...],"restoreStates":[...]}}; both secrets are redacted when
 * shown.
 */
public final class AppKind implements IdentityKind<App> {
  public static final AppKind INSTANCE = new AppKind();
  private static final ObjectMapper JSON = new ObjectMapper();

  private AppKind() {}

  @Override
  public String name() {
    return "apps";
  }

  @Override
  public String idOf(App app) {
    return app.appKey();
  }

  @Override
  public byte[] encode(App app) {
    return json(app, false).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public App decode(byte[] json) {
    JsonNode o = IdentityJson.object(json);
    return new App(IdentityJson.text(o, "appKey"), IdentityJson.text(o, "appSecret"), IdentityJson.text(o, "apiKey"), ids(o, "deviceIds"),
        o.has("restoreStates") ? ids(o, "restoreStates") : Set.of());
  }

  @Override
  public String toRedactedJson(App app) {
    return json(app, true).toString();
  }

  private static ObjectNode json(App app, boolean redact) {
    ObjectNode o = JSON.createObjectNode()
        .put("appKey", app.appKey())
        .put("appSecret", redact ? "<redacted>" : app.appSecret())
        .put("apiKey", redact ? "<redacted>" : app.apiKey());
    ArrayNode ids = o.putArray("deviceIds");
    app.deviceIds().forEach(ids::add);
    ArrayNode restore = o.putArray("restoreStates");
    app.restoreDeviceIds().forEach(restore::add);
    return o;
  }


  private static Set<String> ids(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException(field + ": expected a list of device ids");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode id : v) {
      if (!id.isTextual()) {
        throw new IllegalArgumentException(field + ": expected strings");
      }
      out.add(id.asText());
    }
    return out;
  }
}
