package io.switchboard.bench.harness.bots;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The bots of a run (fresh Ed25519 session keys), the switchboard config declaring them with the quota opened up,
 * the EdDSA upgrade JWT of each (bots.md §3: {@code sig} is SHA-256 of {@code "GET/"}), and the CONTACT
 * conversation id between a sender and the recipient (§5.8).
 */
public final class BotFixture {
  private BotFixture() {}

  /** One bot identity. */
  public record Bot(String uid, String sessionId, byte[] seed) {
    String publicHex() {
      return HexFormat.of().formatHex(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
    }

    /** The identity record, as {@code identities.bots} and {@code POST /admin/v1/bots} take it. */
    String json() {
      return "{\"uid\":\"" + uid + "\",\"sessionId\":\"" + sessionId + "\",\"sessionPublicKey\":\"" + publicHex()
          + "\"}";
    }

    /** A fresh upgrade token for {@code GET /}. */
    String upgradeToken() {
      long now = System.currentTimeMillis() / 1000;
      String sig;
      try {
        sig = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest("GET/".getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      String claims = "{\"uid\":\"" + uid + "\",\"sid\":\"" + sessionId + "\",\"iat\":" + now + ",\"exp\":"
          + (now + 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\",\"sig\":\"" + sig + "\",\"scp\":\"FULL\"}";
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String input = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
          + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, new Ed25519PrivateKeyParameters(seed, 0));
      byte[] in = input.getBytes(StandardCharsets.US_ASCII);
      s.update(in, 0, in.length);
      return input + "." + b64.encodeToString(s.generateSignature());
    }
  }

  /** {@code n} senders followed by one recipient. */
  public static List<Bot> bots(int n) {
    SecureRandom random = new SecureRandom();
    List<Bot> out = new ArrayList<>();
    for (int i = 0; i <= n; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      out.add(new Bot(UUID.randomUUID().toString(), UUID.randomUUID().toString(), seed));
    }
    return out;
  }

  /** The bots declared, the quota out of the way (the scenario measures ingest, not the limiter). */
  public static String switchboardConfig(List<Bot> bots) {
    StringBuilder b = new StringBuilder("store:\n  engine: rocksdb\n  durability: batch\n"
        + "bots:\n  quota:\n    messagesPerMinute: 100000000\n  maxConnectionsPerBot: 64\n"
        + "identities:\n  bots:\n");
    for (Bot bot : bots) {
      b.append("    - uid: ").append(bot.uid()).append("\n      sessionId: ").append(bot.sessionId())
          .append("\n      sessionPublicKey: ").append(bot.publicHex()).append('\n');
    }
    return b.toString();
  }

  /** The CONTACT conversation id of two bots (bots.md §5.8). */
  public static String contactId(String a, String b) {
    String lo = a.compareTo(b) <= 0 ? a : b;
    String hi = lo.equals(a) ? b : a;
    byte[] sum;
    try {
      sum = MessageDigest.getInstance("MD5").digest((lo + hi).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    sum[6] = (byte) ((sum[6] & 0x0f) | 0x30);
    sum[8] = (byte) ((sum[8] & 0x3f) | 0x80);
    String h = HexFormat.of().formatHex(sum);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
        + h.substring(20);
  }
}
