package io.switchboard.server.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.identity.IdentityKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Bots as an admin resource ({@code /admin/v1/bots}) and as config declarations ({@code identities.bots}):
 * {@code {"uid","sessionId","sessionPublicKey" (hex or base64url),"rsaPublicKey" (PEM, optional)}}. Public keys
 * are not secrets, so nothing is redacted.
 */
public final class BotKind implements IdentityKind<Bot> {
  public static final BotKind INSTANCE = new BotKind();
  private static final ObjectMapper JSON = new ObjectMapper();

  private BotKind() {}

  @Override
  public String name() {
    return "bots";
  }

  @Override
  public String idOf(Bot bot) {
    return bot.uid();
  }

  @Override
  public byte[] encode(Bot bot) {
    return toRedactedJson(bot).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Bot decode(byte[] json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON");
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    return Bot.of(text(o, "uid"), text(o, "sessionId"), text(o, "sessionPublicKey"), text(o, "rsaPublicKey"));
  }

  @Override
  public String toRedactedJson(Bot bot) {
    ObjectNode o = JSON.createObjectNode().put("uid", bot.uid()).put("sessionId", bot.sessionId())
        .put("sessionPublicKey", bot.sessionPublicKeyText());
    if (bot.rsaPublicKeyPem() != null) {
      o.put("rsaPublicKey", bot.rsaPublicKeyPem());
    }
    return o.toString();
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      throw new IllegalArgumentException(field + ": expected a string");
    }
    return v == null || v.isNull() ? null : v.asText();
  }
}
