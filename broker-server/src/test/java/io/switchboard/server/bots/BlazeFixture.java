package io.switchboard.server.bots;

import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.RawWebSocket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Bots A and B of bots.md §1, a broker serving them, and a raw Blaze client (gzip binary frames, EdDSA JWTs). */
final class BlazeFixture {
  /** A registered bot with its signing seed. */
  record TestBot(String uid, String sessionId, byte[] seed) {
    String publicKeyHex() {
      return HexFormat.of().formatHex(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
    }

    String json() {
      return "{\"uid\":\"" + uid + "\",\"sessionId\":\"" + sessionId + "\",\"sessionPublicKey\":\"" + publicKeyHex()
          + "\"}";
    }

    /** A token for {@code method uri body}: sig is SHA-256 hex of their concatenation (§3.1). */
    String token(String method, String uri, String body) {
      return token(method, uri, body, System.currentTimeMillis() / 1000);
    }

    String token(String method, String uri, String body, long now) {
      return sign("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}", claims(now, now + 3600, UUID.randomUUID().toString(),
          sha256Hex(method + uri + body)));
    }

    String claims(long iat, long exp, String jti, String sig) {
      return "{\"uid\":\"" + uid + "\",\"sid\":\"" + sessionId + "\",\"iat\":" + iat + ",\"exp\":" + exp
          + ",\"jti\":\"" + jti + "\",\"sig\":\"" + sig + "\",\"scp\":\"FULL\"}";
    }

    /** Signs {@code header.claims} with this bot's Ed25519 key, whatever the header says. */
    String sign(String header, String claims) {
      String signingInput = b64(header) + "." + b64(claims);
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
      byte[] in = signingInput.getBytes(StandardCharsets.US_ASCII);
      signer.update(in, 0, in.length);
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.generateSignature());
    }
  }

  static final TestBot A = new TestBot("06aed1e3-bd77-4a59-991a-5bb5ae6fbb09", "a34c07a9-755d-4b54-94c5-e45e9a2dd43e",
      HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  static final TestBot B = new TestBot("e8e5b807-fa8b-455a-8dfa-b189d28310ff", "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
      HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  /** The CONTACT conversation of A and B (§1). */
  static final String CONTACT = "29443795-82e8-324f-b200-aff9b6d1f5a3";

  static TestBroker.Builder broker() {
    return TestBroker.builder().config(c -> c.declare("bots", List.of(A.json(), B.json())));
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] gzip(String json) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static String gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String createMessage(String messageId, String recipient, String text) {
    return "{\"id\":\"" + UUID.randomUUID() + "\",\"action\":\"CREATE_MESSAGE\",\"params\":{\"conversation_id\":\""
        + CONTACT + "\",\"recipient_id\":\"" + recipient + "\",\"message_id\":\"" + messageId
        + "\",\"category\":\"PLAIN_TEXT\",\"data_base64\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"}}";
  }

  /** A raw Blaze connection. */
  static final class Blaze implements AutoCloseable {
    final RawWebSocket ws;

    private Blaze(RawWebSocket ws) {
      this.ws = ws;
    }

    static RawWebSocket raw(int port, String path, TestBot bot, String subprotocol) throws IOException {
      Map<String, String> h = new LinkedHashMap<>();
      if (bot != null) {
        h.put("Authorization", "Bearer " + bot.token("GET", "/", ""));
      }
      if (subprotocol != null) {
        h.put("Sec-WebSocket-Protocol", subprotocol);
      }
      return RawWebSocket.connect("127.0.0.1", port, path, h);
    }

    static Blaze connect(int port, TestBot bot) throws IOException {
      RawWebSocket ws = raw(port, "/", bot, "Mixin-Blaze-1");
      if (ws.status() != 101) {
        throw new IOException("upgrade refused: " + ws.status() + " " + ws.body());
      }
      return new Blaze(ws);
    }

    void send(String json) throws IOException {
      ws.sendFrame(RawWebSocket.BINARY, true, gzip(json));
    }

    /** The next data frame, inflated (fails on anything but a binary frame). */
    String next() throws IOException {
      RawWebSocket.Frame f = ws.readDataOrClose();
      if (f.opcode() != RawWebSocket.BINARY) {
        throw new IOException("expected binary, got " + f.opcode() + " " + f.closeCode() + " " + f.closeReason());
      }
      return gunzip(f.payload());
    }

    @Override
    public void close() throws IOException {
      ws.close();
    }
  }

  private BlazeFixture() {}
}
