package io.switchboard.server.devices;

import static io.switchboard.server.devices.DevicesFixture.DEVICE;
import static io.switchboard.server.devices.DevicesFixture.DEVICE_2;
import static io.switchboard.server.devices.DevicesFixture.envelope;
import static io.switchboard.server.devices.DevicesFixture.event;
import static io.switchboard.server.devices.DevicesFixture.hmac;
import static io.switchboard.server.devices.DevicesFixture.now;
import static io.switchboard.server.devices.DevicesFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.FaultyStore;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every inbound check of devices.md §3.2 and §8: each bad message is dropped silently, counted with its reason,
 * and leaves another device on the same broker working.
 */
class DeviceVerificationTest {

  private static double rejected(TestBroker tb, String reason) {
    return tb.counter("switchboard.rejected", "dialect", "devices", "reason", reason);
  }

  /** Replay keys claimed by messages in flight (the gauge of {@code ReplayKeysInFlight}). */
  private static double claimsHeld(TestBroker tb) {
    return tb.meters().get("switchboard.devices.replay.inflight").gauge().value();
  }

  private static void awaitRejected(TestBroker tb, String reason, double count) {
    Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(
        () -> assertThat(rejected(tb, reason)).as(reason).isEqualTo(count));
  }

  /** The healthy device still gets a round trip through the Caller API. */
  private static void assertOtherDeviceUnaffected(TestBroker tb, DevicesFixture.Device healthy) throws Exception {
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> call =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> DevicesFixture.action(tb.port(), DEVICE_2,
            "{\"action\":\"setPowerState\",\"value\":{\"state\":\"On\"}}"));
    String request = healthy.nextText();
    String token = DevicesFixture.field(DevicesFixture.payloadOf(request), "replyToken");
    healthy.send(signed("{\"action\":\"setPowerState\",\"clientId\":\"api\",\"createdAt\":" + now()
        + ",\"deviceId\":\"" + DEVICE_2 + "\",\"message\":\"OK\",\"replyToken\":\"" + token
        + "\",\"scope\":\"device\",\"success\":true,\"type\":\"response\",\"value\":{\"state\":\"On\"}}"));
    assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void badMessages_areDroppedCountedAndHarmless() throws Exception {
    try (TestBroker tb = DevicesFixture.broker()
        .config(c -> c.devices(io.switchboard.core.config.DevicesConfig.builder().maxFailures(1000).build()))
        .start();
        DevicesFixture.Device bad = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32");
        DevicesFixture.Device healthy = DevicesFixture.Device.connect(tb.port(), DEVICE_2, "ESP32")) {
      assertThat(bad.timestampFrame).startsWith("{\"timestamp\":").hasSizeLessThanOrEqualTo(26);

      String good = event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now(), UUID.randomUUID().toString());
      bad.send(envelope(good, hmac(good + " "))); // wrong HMAC
      awaitRejected(tb, "bad_signature", 1);
      String altered = good.replace("\"On\"", "\"Off\"");
      bad.send(envelope(altered, hmac(good))); // payload altered after signing
      awaitRejected(tb, "bad_signature", 2);
      bad.send(signed(event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now() - 120, "t-stale")));
      awaitRejected(tb, "stale_timestamp", 1);
      bad.send(signed(event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now() + 120, "t-future")));
      awaitRejected(tb, "stale_timestamp", 2);
      bad.send(signed(event(DEVICE_2, "setPowerState", "{\"state\":\"On\"}", now(), "t-foreign")));
      awaitRejected(tb, "foreign_device", 1);
      bad.send(envelope(good, "not-base64"));
      awaitRejected(tb, "missing_signature", 1);
      bad.send(good); // not an envelope at all: no payload member
      awaitRejected(tb, "malformed", 1);
      bad.send("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"); // nesting bomb
      awaitRejected(tb, "malformed", 2);
      String longString = event(DEVICE, "setPowerState", "{\"s\":\"" + "x".repeat(40_000) + "\"}", now(), "t-long");
      bad.send(signed(longString)); // over maxStringChars, inside the 64 KiB frame limit
      awaitRejected(tb, "malformed", 3);
      bad.send("{\"header\":{\"payloadVersion\":3,\"signatureVersion\":1},\"payload\":{},\"signature\":{}}");
      awaitRejected(tb, "unsupported_version", 1);

      // The good one is accepted once, then its replay is refused.
      bad.send(signed(good));
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> tb.counter("switchboard.devices.events.accepted") == 1);
      bad.send(signed(good));
      awaitRejected(tb, "replay", 1);

      assertOtherDeviceUnaffected(tb, healthy);
      // Rejections land in the app's activity log too (admin API; see the stale entry's skew detail).
      assertThat(tb.broker().context().outcomes().rejectedCount("devices", "bad_signature")).isEqualTo(2);
    }
  }

  @Test
  void frameLevelViolations_closeWithTheirCodes_andOthersCarryOn() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().config(c -> c.adminToken("admin-token-0123456789")).start();
        DevicesFixture.Device healthy = DevicesFixture.Device.connect(tb.port(), DEVICE_2, "ESP32")) {
      try (DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
        d.ws.sendFrame(RawWebSocket.BINARY, true, new byte[] {1, 2, 3});
        RawWebSocket.Frame close = d.ws.readDataOrClose();
        assertThat(close.closeCode()).isEqualTo(1003);
        assertThat(close.closeReason()).isEqualTo("binary frames are not accepted");
      }
      try (DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
        d.ws.sendFrame(RawWebSocket.TEXT, true, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertThat(d.ws.readDataOrClose().closeCode()).isEqualTo(1007);
      }
      try (DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
        d.ws.sendFrame(RawWebSocket.TEXT, true, "x".repeat(70_000).getBytes(StandardCharsets.US_ASCII));
        assertThat(d.ws.readDataOrClose().closeCode()).isEqualTo(1009);
      }
      assertThat(tb.counter("switchboard.closes", "dialect", "devices", "code", "1003")).isEqualTo(1);
      assertThat(tb.counter("switchboard.closes", "dialect", "devices", "code", "1007")).isEqualTo(1);
      assertThat(tb.counter("switchboard.closes", "dialect", "devices", "code", "1009")).isEqualTo(1);
      assertOtherDeviceUnaffected(tb, healthy);
      Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(
          Http.get(tb.port(), "/admin/v1/apps/" + DevicesFixture.APP_KEY + "/activity", "Authorization",
              "Bearer admin-token-0123456789").body())
          .contains("\"reason\":\"1003\"").contains("\"reason\":\"1007\"").contains("\"reason\":\"1009\""));
    }
  }

  @Test
  void tooManyInvalidMessages_close4008() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().config(c -> c.adminToken("admin-token-0123456789")).start();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      for (int i = 0; i < 10; i++) {
        String p = event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now(), "t" + i);
        d.send(envelope(p, hmac(p + "x")));
      }
      RawWebSocket.Frame close = d.ws.readDataOrClose();
      assertThat(close.closeCode()).isEqualTo(4008);
      assertThat(close.closeReason()).isEqualTo("too many invalid messages");
      String log = Http.get(tb.port(), "/admin/v1/apps/" + DevicesFixture.APP_KEY + "/activity?limit=10",
          "Authorization", "Bearer admin-token-0123456789").body();
      assertThat(log).startsWith("{\"entries\":[{").contains("\"kind\":\"connection_closed\"")
          .contains("\"kind\":\"message_rejected\",\"reason\":\"bad_signature\"").contains("\"count\":10");
    }
  }

  @Test
  void upgradeChecks_401_400_403() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().start()) {
      RawWebSocket unknown = RawWebSocket.connect("127.0.0.1", tb.port(), "/",
          Map.of("appkey", "00000000-0000-4000-8000-000000000000", "deviceids", DEVICE));
      assertThat(unknown.status()).isEqualTo(401);
      assertThat(unknown.body()).isEqualTo("{\"error\":\"unknown_appkey\"}");
      RawWebSocket invalid = RawWebSocket.connect("127.0.0.1", tb.port(), "/devices",
          Map.of("appkey", DevicesFixture.APP_KEY, "deviceids", "nothex"));
      assertThat(invalid.status()).isEqualTo(400);
      assertThat(invalid.body()).isEqualTo("{\"error\":\"invalid_deviceids\"}");
      RawWebSocket foreign = RawWebSocket.connect("127.0.0.1", tb.port(), "/?:443/",
          Map.of("appkey", DevicesFixture.APP_KEY, "deviceids", DEVICE + ";" + DevicesFixture.OTHER_APP_DEVICE + ";"));
      assertThat(foreign.status()).isEqualTo(403);
      assertThat(foreign.body())
          .isEqualTo("{\"error\":\"device_not_registered\",\"deviceId\":\"" + DevicesFixture.OTHER_APP_DEVICE + "\"}");
      assertThat(rejected(tb, "unknown_appkey")).isEqualTo(1);
      assertThat(rejected(tb, "device_not_registered")).isEqualTo(1);
      unknown.close();
      invalid.close();
      foreign.close();
    }
  }

  @Test
  void copiesInFlightTogether_oneAccepted_andEveryClaimEnds() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().start();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      // Back to back, so that the later copies reach step 7 while the first one's commit is still queued (six:
      // replays count against the connection's failure budget of ten).
      String message =
          signed(event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now(), UUID.randomUUID().toString()));
      for (int i = 0; i < 6; i++) {
        d.send(message);
      }
      awaitRejected(tb, "replay", 5);
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> tb.counter("switchboard.devices.events.accepted") == 1);

      // A message dropped after step 7 gives its key back: the same response again is unmatched, not a replay.
      String stray = signed("{\"action\":\"setPowerState\",\"clientId\":\"api\",\"createdAt\":" + now()
          + ",\"deviceId\":\"" + DEVICE + "\",\"message\":\"OK\",\"replyToken\":\"" + UUID.randomUUID()
          + "\",\"scope\":\"device\",\"success\":true,\"type\":\"response\",\"value\":{}}");
      d.send(stray);
      awaitRejected(tb, "unmatched_response", 1);
      d.send(stray);
      awaitRejected(tb, "unmatched_response", 2);
      assertThat(rejected(tb, "replay")).isEqualTo(5);
      assertThat(claimsHeld(tb)).as("claims held after every message settled").isZero();
    }
  }

  @Test
  void aFailedReplayRead_leavesNoClaimBehind() throws Exception {
    FaultyStore[] store = new FaultyStore[1];
    try (TestBroker tb = DevicesFixture.broker().wrapStore(s -> store[0] = new FaultyStore(s)).start();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      String message =
          signed(event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now(), UUID.randomUUID().toString()));
      d.send(message);
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> tb.counter("switchboard.devices.events.accepted") == 1);
      store[0].failGets("dev", "replay");
      d.send(message); // its key may have been seen, so step 7 reads the store, which now fails
      d.ws.readDataOrClose(); // whatever the broker does with the connection, the claim must not outlive it
      Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(claimsHeld(tb)).isZero());
      assertThat(tb.counter("switchboard.devices.events.accepted")).isEqualTo(1);
    }
  }

  @Test
  void replayedReplyToken_refusedAfterRestart(@TempDir Path dir) throws Exception {
    String message = signed(event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now(), UUID.randomUUID().toString()));
    try (TestBroker tb = DevicesFixture.broker().rocksDb(dir).start();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      d.send(message);
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> tb.counter("switchboard.devices.events.accepted") == 1);
      assertThat(tb.counter("switchboard.devices.replay.reads.skipped")).as("a fresh key needs no store read")
          .isEqualTo(1);
    }
    try (TestBroker tb = DevicesFixture.broker().rocksDb(dir).start();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      d.send(message);
      awaitRejected(tb, "replay", 1);
      assertThat(tb.counter("switchboard.devices.events.accepted")).isZero();
      // Refused by step 7's read, before dispatch: the restarted broker seeded its filter from the store.
      assertThat(tb.counter("switchboard.devices.replay.reads.skipped")).isZero();
    }
  }

  @Test
  void newerConnection_replacesOlder_with4009() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().start();
        DevicesFixture.Device first = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32");
        DevicesFixture.Device second = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      RawWebSocket.Frame close = first.ws.readDataOrClose();
      assertThat(close.closeCode()).isEqualTo(4009);
      assertThat(close.closeReason()).isEqualTo("replaced by a newer connection");
      assertThat(tb.counter("switchboard.devices.replaced")).isEqualTo(1);
      assertThat(second.timestampFrame).startsWith("{\"timestamp\":");
    }
  }
}
