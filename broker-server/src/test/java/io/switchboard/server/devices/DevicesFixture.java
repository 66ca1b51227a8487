package io.switchboard.server.devices;

import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The example app of devices.md, a broker serving it, and a raw device client that signs what it sends. */
final class DevicesFixture {
  static final String APP_KEY = "de0b1234-1a3b-4c3d-a2e4-5dab12345678";
  static final String SECRET = "5f361234-a3b7-4c3d-9e0e-e86724a91234-4c4a1234-3a3b-45de-a9b3-333d65123456";
  static final String API_KEY = "caller-api-key-0123456789";
  static final String DEVICE = "5dc1564130aabbccddeeff00";
  static final String DEVICE_2 = "5dc1564130aabbccddeeff01";
  static final String OFFLINE_DEVICE = "5dc1564130aabbccddeeff02";
  static final String OTHER_APP_DEVICE = "aaaaaaaaaaaaaaaaaaaaaaaa";
  static final String[] AUTH = {"Authorization", "Bearer " + API_KEY};

  static String appJson() {
    return "{\"appKey\":\"" + APP_KEY + "\",\"appSecret\":\"" + SECRET + "\",\"apiKey\":\"" + API_KEY
        + "\",\"deviceIds\":[\"" + DEVICE + "\",\"" + DEVICE_2 + "\",\"" + OFFLINE_DEVICE + "\"]}";
  }

  static String otherAppJson() {
    return "{\"appKey\":\"11111111-2222-4333-8444-555555555555\",\"appSecret\":\"" + SECRET
        + "\",\"apiKey\":\"other-api-key-0123456789\",\"deviceIds\":[\"" + OTHER_APP_DEVICE + "\"]}";
  }

  static TestBroker.Builder broker() {
    return TestBroker.builder().config(c -> c.declare("apps", List.of(appJson(), otherAppJson())));
  }

  static String hmac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The wire form of devices.md §4.3 around {@code payload}, signed with the example secret. */
  static String signed(String payload) {
    return envelope(payload, hmac(payload));
  }

  static String envelope(String payload, String hmac) {
    return "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},\"payload\":" + payload
        + ",\"signature\":{\"HMAC\":\"" + hmac + "\"}}";
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static String event(String deviceId, String action, String value, long createdAt, String replyToken) {
    return "{\"action\":\"" + action + "\",\"cause\":{\"type\":\"PHYSICAL_INTERACTION\"},\"createdAt\":" + createdAt
        + ",\"deviceId\":\"" + deviceId + "\"" + (replyToken == null ? "" : ",\"replyToken\":\"" + replyToken + "\"")
        + ",\"type\":\"event\",\"value\":" + value + "}";
  }

  /** A raw device connection: connects, reads the timestamp frame, sends signed text. */
  static final class Device implements AutoCloseable {
    final RawWebSocket ws;
    final String timestampFrame;

    private Device(RawWebSocket ws, String timestampFrame) {
      this.ws = ws;
      this.timestampFrame = timestampFrame;
    }

    static Device connect(int port, String deviceIds, String platform) throws IOException {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("appkey", APP_KEY);
      h.put("deviceids", deviceIds);
      if (platform != null) {
        h.put("platform", platform);
      }
      RawWebSocket ws = RawWebSocket.connect("127.0.0.1", port, "/", h);
      if (ws.status() != 101) {
        throw new IOException("upgrade refused: " + ws.status() + " " + ws.body());
      }
      return new Device(ws, ws.readDataOrClose().text());
    }

    void send(String text) throws IOException {
      ws.sendText(text);
    }

    /** The next request the broker sends this device (skips pings). */
    String nextText() throws IOException {
      RawWebSocket.Frame f = ws.readDataOrClose();
      if (f.opcode() != RawWebSocket.TEXT) {
        throw new IOException("expected text, got opcode " + f.opcode() + " " + f.closeCode() + " " + f.closeReason());
      }
      return f.text();
    }

    @Override
    public void close() throws IOException {
      ws.close();
    }
  }

  static HttpResponse<String> action(int port, String deviceId, String body) {
    return Http.post(port, "/api/v1/devices/" + deviceId + "/actions", body, AUTH);
  }

  /** Extracts the raw text of the top-level "payload" value of a broker-built frame (fixed member order). */
  static String payloadOf(String frame) {
    int start = frame.indexOf("\"payload\":") + "\"payload\":".length();
    int end = frame.lastIndexOf(",\"signature\":");
    return frame.substring(start, end);
  }

  static String field(String json, String name) {
    int i = json.indexOf("\"" + name + "\":\"");
    if (i < 0) {
      return null;
    }
    int s = i + name.length() + 4;
    return json.substring(s, json.indexOf('"', s));
  }

  private DevicesFixture() {}
}
