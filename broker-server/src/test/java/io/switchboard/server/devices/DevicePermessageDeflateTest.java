package io.switchboard.server.devices;

import static io.switchboard.server.devices.DevicesFixture.APP_KEY;
import static io.switchboard.server.devices.DevicesFixture.DEVICE;
import static io.switchboard.server.devices.DevicesFixture.event;
import static io.switchboard.server.devices.DevicesFixture.now;
import static io.switchboard.server.devices.DevicesFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.DevicesConfig;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code devices.permessageDeflate} (devices.md §2.2): accepted when configured and offered, as the Node.js and
 * Python SDKs offer it; declined by default; inbound messages never inflate past {@code maxInboundBytes}.
 */
class DevicePermessageDeflateTest {
  private static final String OFFER = "permessage-deflate; client_max_window_bits";

  /**
   * A client's side of permessage-deflate: one compressor per message. The broker's frames come uncompressed (RSV1
   * clear), which RFC 7692 allows per message: it frames them once, for fan-out.
   */
  private static final class Client implements AutoCloseable {
    final RawWebSocket ws;

    Client(RawWebSocket ws) {
      this.ws = ws;
    }

    static Client connect(int port) throws Exception {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("appkey", APP_KEY);
      h.put("deviceids", DEVICE);
      h.put("platform", "NodeJS");
      h.put("Sec-WebSocket-Extensions", OFFER);
      RawWebSocket ws = RawWebSocket.connect("127.0.0.1", port, "/", h);
      assertThat(ws.status()).isEqualTo(101);
      return new Client(ws);
    }

    void sendCompressed(String text) throws Exception {
      ws.sendFrame(0x40 | RawWebSocket.TEXT, true, deflate(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The next text message: uncompressed. */
    String next() throws Exception {
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.opcode()).as("text, not " + f.closeCode() + " " + f.closeReason()).isEqualTo(RawWebSocket.TEXT);
      assertThat(f.compressed()).as("RSV1 clear: sent uncompressed").isFalse();
      return f.text();
    }

    @Override
    public void close() throws Exception {
      ws.close();
    }
  }

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
        out.write(buf, 0, n);
        if (n < buf.length) {
          break;
        }
      }
      byte[] all = out.toByteArray();
      return Arrays.copyOf(all, all.length - 4); // without the 00 00 FF FF tail
    } finally {
      d.end();
    }
  }

  private static TestBroker.Builder broker(boolean deflate) {
    return DevicesFixture.broker().config(c -> c.devices(DevicesConfig.builder().permessageDeflate(deflate).build()));
  }

  @Test
  void enabled_offerAccepted_compressedEventsAndResponsesAreInflatedAndHandled() throws Exception {
    try (TestBroker tb = broker(true).start(); Client device = Client.connect(tb.port())) {
      assertThat(device.ws.header("sec-websocket-extensions")).startsWith("permessage-deflate");
      assertThat(device.next()).startsWith("{\"timestamp\":");

      device.sendCompressed(signed(event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now(),
          UUID.randomUUID().toString())));
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> tb.counter("switchboard.devices.events.accepted") == 1);

      CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() -> DevicesFixture.action(
          tb.port(), DEVICE, "{\"action\":\"setBrightness\",\"value\":{\"brightness\":42}}"));
      String request = device.next();
      String token = DevicesFixture.field(DevicesFixture.payloadOf(request), "replyToken");
      assertThat(request).contains("\"action\":\"setBrightness\"");
      device.sendCompressed(signed("{\"action\":\"setBrightness\",\"clientId\":\"api\",\"createdAt\":" + now()
          + ",\"deviceId\":\"" + DEVICE + "\",\"message\":\"OK\",\"replyToken\":\"" + token
          + "\",\"scope\":\"device\",\"success\":true,\"type\":\"response\",\"value\":{\"brightness\":42}}"));
      HttpResponse<String> r = call.get(5, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"brightness\":42");
      assertThat(Http.get(tb.port(), "/api/v1/devices/" + DEVICE, DevicesFixture.AUTH).body())
          .contains("\"action\":\"setPowerState\"").contains("\"action\":\"setBrightness\"");
    }
  }

  @Test
  void enabled_aSmallFrameInflatingPastMaxInboundBytes_closes1009() throws Exception {
    try (TestBroker tb = broker(true).start(); Client device = Client.connect(tb.port())) {
      assertThat(device.next()).startsWith("{\"timestamp\":");
      byte[] bomb = new byte[1 << 20]; // 1 MiB of spaces: about 1 KiB compressed, 16 x the 64 KiB limit
      Arrays.fill(bomb, (byte) ' ');
      byte[] compressed = deflate(bomb);
      assertThat(compressed.length).isLessThan(8 << 10);
      device.ws.sendFrame(0x40 | RawWebSocket.TEXT, true, compressed);
      RawWebSocket.Frame close = device.ws.readDataOrClose();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1009);
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> tb.counter("switchboard.closes", "dialect", "devices", "code", "1009") == 1);
    }
  }

  @Test
  void enabled_corruptCompressedData_closes1007() throws Exception {
    try (TestBroker tb = broker(true).start(); Client device = Client.connect(tb.port())) {
      assertThat(device.next()).startsWith("{\"timestamp\":");
      device.ws.sendFrame(0x40 | RawWebSocket.TEXT, true, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00, 0x12, 0x34});
      RawWebSocket.Frame close = device.ws.readDataOrClose();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void byDefault_theOfferIsDeclined_framesStayUncompressed_andACompressedFrameIsAProtocolError() throws Exception {
    try (TestBroker tb = broker(false).start(); Client device = Client.connect(tb.port())) {
      assertThat(device.ws.header("sec-websocket-extensions")).isNull();
      RawWebSocket.Frame timestamp = device.ws.readDataOrClose();
      assertThat(timestamp.compressed()).isFalse();
      assertThat(timestamp.text()).startsWith("{\"timestamp\":");
      device.sendCompressed(signed(event(DEVICE, "setPowerState", "{\"state\":\"On\"}", now(), null)));
      RawWebSocket.Frame close = device.ws.readDataOrClose();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1002);
    }
  }
}
