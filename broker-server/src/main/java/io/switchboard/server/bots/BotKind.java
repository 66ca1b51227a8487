package io.switchboard.server.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.identity.IdentityKind;
import io.switchboard.server.admin.IdentityJson;
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
    JsonNode o = IdentityJson.object(json);
    return Bot.of(IdentityJson.text(o, "uid"), IdentityJson.text(o, "sessionId"), IdentityJson.text(o, "sessionPublicKey"), IdentityJson.text(o, "rsaPublicKey"));
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
}
