package io.switchboard.server.devices;

import static io.switchboard.server.devices.DevicesFixture.APP_KEY;
import static io.switchboard.server.devices.DevicesFixture.API_KEY;
import static io.switchboard.server.devices.DevicesFixture.DEVICE;
import static io.switchboard.server.devices.DevicesFixture.event;
import static io.switchboard.server.devices.DevicesFixture.now;
import static io.switchboard.server.devices.DevicesFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.DevicesConfig;
import io.switchboard.server.testing.FaultyStore;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.RawWebSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The event feed (SSE resume, WebSocket), state restore on connect, and the read-idle close. */
class DeviceFeedAndSessionTest {

  private static void sendEvents(TestBroker tb, DevicesFixture.Device d, String... actions) throws Exception {
    double before = tb.counter("switchboard.devices.events.accepted");
    for (String action : actions) {
      d.send(signed(event(DEVICE, action, "{\"state\":\"On\"}", now(), UUID.randomUUID().toString())));
    }
    Awaitility.await().atMost(5, TimeUnit.SECONDS)
        .until(() -> tb.counter("switchboard.devices.events.accepted") == before + actions.length);
  }

  /** Reads SSE {@code data:} lines from a raw socket until {@code count} arrived. */
  private static List<String> sse(int port, String lastEventId, int count) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + API_KEY + "\r\n"
          + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      List<String> data = new ArrayList<>();
      String line;
      while (data.size() < count && (line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
      return data;
    }
  }

  @Test
  void sseResume_withLastEventId_missesNothing_andWebSocketFeedIsReceiveOnly() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().start();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      sendEvents(tb, d, "setPowerState", "setBrightness", "setColor");
      // Items: 1 device_online, 2..4 the events. Resume after 2: exactly 3 and 4, in order.
      List<String> items = sse(tb.port(), "2", 2);
      assertThat(items.get(0)).startsWith("{\"id\":3,\"type\":\"device_event\"").contains("setBrightness");
      assertThat(items.get(1)).startsWith("{\"id\":4,\"type\":\"device_event\"").contains("setColor");

      RawWebSocket ws = RawWebSocket.connect("127.0.0.1", tb.port(), "/api/v1/events",
          Map.of("Authorization", "Bearer " + API_KEY, "Last-Event-ID", "3"));
      assertThat(ws.status()).isEqualTo(101);
      assertThat(ws.readDataOrClose().text()).startsWith("{\"id\":4,");
      sendEvents(tb, d, "setMute");
      assertThat(ws.readDataOrClose().text()).startsWith("{\"id\":5,").contains("setMute");
      ws.sendText("hello");
      RawWebSocket.Frame close = ws.readDataOrClose();
      assertThat(close.closeCode()).isEqualTo(1008);
      ws.close();
    }
  }

  @Test
  void restoreDeviceStates_replaysStoredStatesAsSignedRequests_readingThemOffTheEventLoop() throws Exception {
    FaultyStore[] store = new FaultyStore[1];
    try (TestBroker tb = DevicesFixture.broker().wrapStore(s -> store[0] = new FaultyStore(s)).start()) {
      store[0].watchScans(FaultyStore.onEventLoop(tb.broker()), "dev", "state", "");
      try (DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
        sendEvents(tb, d, "setPowerState", "setLockState");
      }
      // The Caller API's state read is a store scan too: answered from the blocking pool.
      assertThat(io.switchboard.testkit.Http.get(tb.port(), "/api/v1/devices/" + DEVICE, DevicesFixture.AUTH).body())
          .contains("\"action\":\"setPowerState\"").contains("\"action\":\"setLockState\"");
      Map<String, String> h = Map.of("appkey", APP_KEY, "deviceids", DEVICE, "restoredevicestates", "TRUE");
      RawWebSocket ws = RawWebSocket.connect("127.0.0.1", tb.port(), "/", h);
      assertThat(ws.readDataOrClose().text()).startsWith("{\"timestamp\":");
      String request = ws.readDataOrClose().text();
      String payload = DevicesFixture.payloadOf(request);
      assertThat(payload).startsWith("{\"action\":\"setPowerState\",\"clientId\":\"portal\",\"createdAt\":")
          .contains("\"deviceAttributes\":[],\"deviceId\":\"" + DEVICE + "\"").contains("\"type\":\"request\"")
          .endsWith("\"value\":{\"state\":\"On\"}}");
      assertThat(request).endsWith(",\"signature\":{\"HMAC\":\"" + DevicesFixture.hmac(payload) + "\"}}");
      // setLockState is never replayed (it could unlock a door): nothing else arrives.
      ws.setReadTimeout(500);
      org.assertj.core.api.Assertions.assertThatThrownBy(ws::readFrame)
          .isInstanceOf(java.net.SocketTimeoutException.class);
      ws.close();
      assertThat(store[0].prefixScans()).as("the GET and the restore each read the state").isEqualTo(2);
      assertThat(store[0].watchedScans()).as("none of them on an event loop").isZero();
    }
  }

  @Test
  void silentConnection_closedWith4000_atTheReadIdleTimeout() throws Exception {
    try (TestBroker tb = DevicesFixture.broker().config(c -> c.devices(DevicesConfig.builder()
            .allowShortIdleForTests().readIdleTimeout(Duration.ofMillis(300)).build())).start();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      RawWebSocket.Frame close = d.ws.readDataOrClose();
      assertThat(close.closeCode()).isEqualTo(4000);
      assertThat(close.closeReason()).isEqualTo("idle timeout");
      assertThat(tb.counter("switchboard.closes", "dialect", "devices", "code", "4000")).isEqualTo(1);
    }
  }
}
