package io.switchboard.server.devices;

import static io.switchboard.server.devices.DevicesFixture.DEVICE;
import static io.switchboard.server.devices.DevicesFixture.OFFLINE_DEVICE;
import static io.switchboard.server.devices.DevicesFixture.OTHER_APP_DEVICE;
import static io.switchboard.server.devices.DevicesFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.switchboard.server.testing.FaultyStore;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The Caller API's statuses (devices.md §5.7, §8.5) and the 8-second reply deadline. */
class DeviceCallerApiTest {
  private static final String ON = "{\"action\":\"setPowerState\",\"value\":{\"state\":\"On\"}}";

  /** The device's signed response to request {@code replyToken}: success, state On. */
  private static String poweredOn(String replyToken) {
    return signed("{\"action\":\"setPowerState\",\"clientId\":\"api\",\"createdAt\":" + DevicesFixture.now()
        + ",\"deviceId\":\"" + DEVICE + "\",\"message\":\"OK\",\"replyToken\":\"" + replyToken
        + "\",\"scope\":\"device\",\"success\":true,\"type\":\"response\",\"value\":{\"state\":\"On\"}}");
  }

  @Test
  void silentDevice_deadlineFiresAt8s_callerGets504_lateResponseDroppedAndCounted() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().start();
        DevicesFixture.Device device = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = DevicesFixture.action(tb.port(), DEVICE, ON);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(r.body()).isEqualTo("{\"error\":\"device_unresponsive\"}");
      assertThat(seconds).as("caller sees 504 by 8.3 s").isGreaterThanOrEqualTo(8.0).isLessThan(8.3);

      Timer fired = tb.meters().find("switchboard.devices.deadline.fired").timer();
      assertThat(fired.count()).isEqualTo(1);
      double firedSeconds = fired.max(TimeUnit.NANOSECONDS) / 1e9;
      assertThat(firedSeconds).as("the broker's own measurement").isBetween(8.00, 8.05);

      // The request reached the device; its answer now comes too late.
      String request = device.nextText();
      String token = DevicesFixture.field(DevicesFixture.payloadOf(request), "replyToken");
      device.send(poweredOn(token));
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> tb.counter("switchboard.rejected", "dialect", "devices", "reason", "late_response") == 1);
      // Nothing about the late answer changed the state.
      assertThat(Http.get(tb.port(), "/api/v1/devices/" + DEVICE, DevicesFixture.AUTH).body())
          .contains("\"state\":[]");
    }
  }

  @Test
  void responseWhoseDurableWriteFails_callerGets500AtOnce_notAtTheDeadline() throws Exception {
    FaultyStore[] store = new FaultyStore[1];
    try (TestBroker tb = DevicesFixture.broker().wrapStore(s -> store[0] = new FaultyStore(s)).start();
        DevicesFixture.Device device = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      store[0].failCommits(FaultyStore.writing("dev", "replay", ""));
      CompletableFuture<HttpResponse<String>> call =
          CompletableFuture.supplyAsync(() -> DevicesFixture.action(tb.port(), DEVICE, ON));
      String token = DevicesFixture.field(DevicesFixture.payloadOf(device.nextText()), "replyToken");
      long t0 = System.nanoTime();
      device.send(poweredOn(token));

      HttpResponse<String> r = call.get(5, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).isEqualTo("{\"error\":\"internal_error\"}");
      assertThat(seconds).as("answered when the write failed, long before the 8 s deadline").isLessThan(2.0);
      assertThat(store[0].failedCommits()).isEqualTo(1);
      assertThat(tb.counter("switchboard.rejected", "dialect", "devices", "reason", "internal_error")).isEqualTo(1);
      assertThat(tb.counter("switchboard.requests.failed", "dialect", "devices")).isEqualTo(1);
      assertThat(tb.counter("switchboard.requests.timed_out", "dialect", "devices")).isZero();

      // Nothing of the failed response was stored; with the store healthy again, the next request completes.
      store[0].failCommits(b -> false);
      assertThat(Http.get(tb.port(), "/api/v1/devices/" + DEVICE, DevicesFixture.AUTH).body())
          .contains("\"state\":[]");
      CompletableFuture<HttpResponse<String>> next =
          CompletableFuture.supplyAsync(() -> DevicesFixture.action(tb.port(), DEVICE, ON));
      String token2 = DevicesFixture.field(DevicesFixture.payloadOf(device.nextText()), "replyToken");
      device.send(poweredOn(token2));
      assertThat(next.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void callerIsAnsweredOnceTheResponseIsApplied_beforeItsFsync_stateReadableAtOnce_feedItemOnlyOnceDurable()
      throws Exception {
    FaultyStore[] store = new FaultyStore[1];
    try (TestBroker tb = DevicesFixture.broker().wrapStore(s -> store[0] = new FaultyStore(s)).start();
        DevicesFixture.Device device = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      io.switchboard.testkit.RawWebSocket feed = io.switchboard.testkit.RawWebSocket.connect("127.0.0.1", tb.port(),
          "/api/v1/events", java.util.Map.of("Authorization", "Bearer " + DevicesFixture.API_KEY));
      assertThat(feed.status()).isEqualTo(101);
      store[0].holdDurability(); // applied writes are readable; nothing becomes durable until released
      CompletableFuture<HttpResponse<String>> call =
          CompletableFuture.supplyAsync(() -> DevicesFixture.action(tb.port(), DEVICE, ON));
      String token = DevicesFixture.field(DevicesFixture.payloadOf(device.nextText()), "replyToken");
      device.send(poweredOn(token));

      HttpResponse<String> r = call.get(5, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as("answered while the response's write is not durable").isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"success\":true,\"message\":\"OK\",\"value\":{\"state\":\"On\"}}");
      assertThat(Http.get(tb.port(), "/api/v1/devices/" + DEVICE, DevicesFixture.AUTH).body())
          .as("a state read after the answer sees the response's state").contains("{\"state\":\"On\"}");
      // The feed item waits for durability: none arrives while it is held.
      feed.setReadTimeout(300);
      try {
        while (true) {
          assertThat(feed.readDataOrClose().text()).doesNotContain("device_response");
        }
      } catch (java.net.SocketTimeoutException expected) {
        // nothing more while held
      }
      store[0].releaseDurability();
      feed.setReadTimeout(5000);
      String item;
      do {
        item = feed.readDataOrClose().text();
      } while (!item.contains("device_response"));
      assertThat(item).contains("\"replyToken\":\"" + token + "\"").contains("\"value\":{\"state\":\"On\"}");
      feed.close();
    }
  }

  @Test
  void offlineUnknownAndUnauthorized_answeredAtOnce() {
    try (TestBroker tb = DevicesFixture.broker().start()) {
      // Warm the client's connection first: the figure is the broker's answer time, not a cold TCP/JIT start.
      assertThat(DevicesFixture.action(tb.port(), OTHER_APP_DEVICE, ON).statusCode()).isEqualTo(404);
      long t0 = System.nanoTime();
      HttpResponse<String> offline = DevicesFixture.action(tb.port(), OFFLINE_DEVICE, ON);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(offline.statusCode()).isEqualTo(503);
      assertThat(offline.body()).isEqualTo("{\"error\":\"device_offline\"}");
      assertThat(millis).as("503 at once").isLessThan(50);

      HttpResponse<String> unknown = DevicesFixture.action(tb.port(), OTHER_APP_DEVICE, ON);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).isEqualTo("{\"error\":\"unknown_device\"}");
      assertThat(DevicesFixture.action(tb.port(), "ffffffffffffffffffffffff", ON).statusCode()).isEqualTo(404);

      HttpResponse<String> noKey = Http.post(tb.port(), "/api/v1/devices/" + DEVICE + "/actions", ON);
      assertThat(noKey.statusCode()).isEqualTo(401);
      assertThat(noKey.body()).isEqualTo("{\"error\":\"unauthorized\"}");
      assertThat(tb.counter("switchboard.rejected", "dialect", "devices", "reason", "device_offline")).isEqualTo(1);
      assertThat(tb.counter("switchboard.rejected", "dialect", "devices", "reason", "unknown_device")).isEqualTo(3);
    }
  }

  @Test
  void invalidBodies_get400WithTheField_andOversized413() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().start();
        DevicesFixture.Device device = DevicesFixture.Device.connect(tb.port(), DEVICE, "NodeJS")) {
      HttpResponse<String> tiny = DevicesFixture.action(tb.port(), DEVICE,
          "{\"action\":\"setLevel\",\"value\":{\"level\":1e-05}}");
      assertThat(tiny.statusCode()).isEqualTo(400);
      assertThat(tiny.body()).contains("invalid_request").contains("value.level");
      assertThat(DevicesFixture.action(tb.port(), DEVICE, "{\"action\":\"bad action\",\"value\":{}}").body())
          .contains("action");
      assertThat(DevicesFixture.action(tb.port(), DEVICE, "{\"action\":\"x\"}").body()).contains("value: required");
      assertThat(DevicesFixture.action(tb.port(), DEVICE, "[1]").statusCode()).isEqualTo(400);
      String big = "{\"action\":\"setX\",\"value\":{\"s\":\"" + "a".repeat(20_000) + "\"}}";
      assertThat(DevicesFixture.action(tb.port(), DEVICE, big).statusCode()).isEqualTo(413);
      String bigFrame = "{\"action\":\"setX\",\"value\":{\"s\":\"" + "a".repeat(15_500) + "\"}}";
      assertThat(DevicesFixture.action(tb.port(), DEVICE, bigFrame).statusCode()).isEqualTo(413);
    }
  }
}
