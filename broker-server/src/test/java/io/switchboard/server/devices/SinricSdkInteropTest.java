package io.switchboard.server.devices;

import static io.switchboard.server.devices.DevicesFixture.APP_KEY;
import static io.switchboard.server.devices.DevicesFixture.AUTH;
import static io.switchboard.server.devices.DevicesFixture.DEVICE;
import static io.switchboard.server.devices.DevicesFixture.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Sinric Pro device SDK (npm sinricpro 5.1.0, installed by scripts/test into a cache outside the repo)
 * as a device against the broker: it connects, answers a Caller API request, and its own event reaches an SSE
 * subscriber of the app's feed and the device's state. The SDK dials wss://ws.sinric.pro:443/; our shim
 * (src/test/resources/interop/sinricpro/device.js) redirects only that address to the broker.
 */
class SinricSdkInteropTest {
  private static final Path NODE_MODULES = Path.of(System.getenv().getOrDefault("SWITCHBOARD_CACHE",
      System.getProperty("user.home") + "/.cache/switchboard"), "npm", "node_modules");

  private Process node;

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.destroyForcibly(); // the process this test started, by its handle
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void realSdkDevice_answersCallerApi_andItsEventReachesTheFeedAndState(@TempDir Path tmp) throws Exception {
    assertThat(NODE_MODULES.resolve("sinricpro/package.json"))
        .as("npm sinricpro 5.1.0 is installed by scripts/test (scripts/install-test-deps)").exists();
    assertThat(Files.readString(NODE_MODULES.resolve("sinricpro/package.json"))).contains("\"version\": \"5.1.0\"");
    Path script = tmp.resolve("device.js");
    try (InputStream in = getClass().getResourceAsStream("/interop/sinricpro/device.js")) {
      Files.write(script, in.readAllBytes());
    }

    try (TestBroker tb = DevicesFixture.broker().rocksDb(tmp.resolve("data")).start()) {
      int port = tb.port();
      // The feed subscriber is there before the device, so it sees every item live.
      BlockingQueue<String> feed = new LinkedBlockingQueue<>();
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest sse = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
          .header(AUTH[0], AUTH[1]).build();
      HttpResponse<java.util.stream.Stream<String>> stream =
          client.send(sse, HttpResponse.BodyHandlers.ofLines());
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(v -> v.startsWith("text/event-stream"));
      Thread sseReader = new Thread(() -> stream.body().filter(l -> l.startsWith("data: "))
          .forEach(l -> feed.add(l.substring(6))), "sse-reader");
      sseReader.setDaemon(true);
      sseReader.start();

      ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
      pb.environment().put("SWITCHBOARD_NODE_MODULES", NODE_MODULES.toString());
      pb.environment().put("BROKER_WS", "ws://127.0.0.1:" + port + "/");
      pb.environment().put("DEVICE_ID", DEVICE);
      pb.environment().put("APP_KEY", APP_KEY);
      pb.environment().put("APP_SECRET", SECRET);
      node = pb.start();
      BlockingQueue<String> out = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> pump(node.getInputStream(), out), "node-output");
      reader.setDaemon(true);
      reader.start();
      awaitLine(out, "READY", 30);
      assertThat(next(feed)).contains("\"type\":\"device_online\"").contains("\"platform\":\"NodeJS\"");

      HttpResponse<String> r = DevicesFixture.action(port, DEVICE,
          "{\"action\":\"setPowerState\",\"value\":{\"state\":\"On\"},\"clientId\":\"alexa-skill\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"success\":true,\"message\":\"OK\",\"value\":{\"state\":\"On\"}}");
      assertThat(awaitLine(out, "REQUEST", 5)).contains("\"state\":true");
      assertThat(next(feed)).contains("\"type\":\"device_response\"").contains("\"clientId\":\"alexa-skill\"");

      OutputStream stdin = node.getOutputStream();
      stdin.write("event off\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      assertThat(awaitLine(out, "EVENT", 10)).isEqualTo("EVENT true");
      String event = next(feed);
      assertThat(event).contains("\"type\":\"device_event\"").contains("\"deviceId\":\"" + DEVICE + "\"")
          .contains("\"action\":\"setPowerState\"").contains("\"value\":{\"state\":\"Off\"}");

      String state = Http.get(port, "/api/v1/devices/" + DEVICE, AUTH).body();
      assertThat(state).contains("\"online\":true").contains("\"sdkVersion\":\"5.1.0\"")
          .contains("{\"action\":\"setPowerState\",\"value\":{\"state\":\"Off\"},\"source\":\"event\"");
      assertThat(tb.counter("switchboard.devices.events.accepted")).isEqualTo(1);
    }
  }

  private static String next(BlockingQueue<String> q) throws InterruptedException {
    String s = q.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("a feed item within 10 s").isNotNull();
    return s;
  }

  private static String awaitLine(BlockingQueue<String> out, String prefix, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = out.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      seen.append(line).append('\n');
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("no '" + prefix + "' line from the SDK within " + seconds + " s; it printed:\n" + seen);
  }

  private static void pump(InputStream in, BlockingQueue<String> out) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.out.println("[sdk] " + line);
        out.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }
}
