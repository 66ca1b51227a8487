package io.switchboard.server.devices;

import static io.switchboard.server.devices.DevicesFixture.DEVICE;
import static io.switchboard.server.devices.DevicesFixture.now;
import static io.switchboard.server.devices.DevicesFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.config.DevicesConfig;
import io.switchboard.server.testing.TestBroker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every event and response of the published Sinric Pro samples (../shared/vectors/sinricpro, parsed leniently as
 * its README says), re-stamped with a fresh createdAt (and, for responses, the replyToken of a real pending
 * request) and re-signed, is accepted by the broker.
 */
class SinricVectorsTest {
  /** The test copy of ../shared/vectors/sinricpro (provenance and licence in its README.md). */
  private static final Path VECTORS = Path.of("../broker-codec/src/test/resources/shared/vectors/sinricpro");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Drops {@code //} lines, then splits on top-level {...} objects (prose objects that do not parse are skipped). */
  static List<JsonNode> lenient(Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      if (!line.trim().startsWith("//")) {
        text.append(line).append('\n');
      }
    }
    List<JsonNode> out = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"' && depth > 0) {
        inString = true;
      } else if (c == '{') {
        if (depth++ == 0) {
          start = i;
        }
      } else if (c == '}' && depth > 0 && --depth == 0) {
        try {
          out.add(JSON.readTree(text.substring(start, i + 1)));
        } catch (IOException e) {
          // prose such as {on, off}: not a message
        }
      }
    }
    return out;
  }

  static List<ObjectNode> payloads(String type) throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(VECTORS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (JsonNode n : lenient(f)) {
          if (n.path("payload").isObject() && type.equals(n.path("payload").path("type").asText())) {
            out.add((ObjectNode) n.get("payload"));
          }
        }
      }
    }
    return out;
  }

  private static TestBroker broker() {
    // Many samples share an action: the per-device event rate limit is not what this test is about.
    return DevicesFixture.broker().config(c -> c.devices(DevicesConfig.builder()
        .stateInterval(Duration.ofMillis(1)).sensorInterval(Duration.ofMillis(1)).build())).start();
  }

  @Test
  void everySampleEvent_restampedAndResigned_isAccepted() throws Exception {
    List<ObjectNode> events = payloads("event");
    assertThat(events).hasSizeGreaterThanOrEqualTo(20);
    try (TestBroker tb = broker();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      int n = 0;
      for (ObjectNode p : events) {
        p.put("createdAt", now());
        if (p.has("deviceId")) {
          p.put("deviceId", DEVICE);
        }
        if (p.has("replyToken")) {
          p.put("replyToken", UUID.randomUUID().toString());
        }
        d.send(signed(JSON.writeValueAsString(p)));
        int expected = ++n;
        Awaitility.await().atMost(5, TimeUnit.SECONDS).alias(p.toString())
            .until(() -> tb.counter("switchboard.devices.events.accepted") == expected);
      }
      assertThat(tb.counter("switchboard.rejected", "dialect", "devices", "reason", "malformed")).isZero();
    }
  }

  @Test
  void everySampleResponse_toARealPendingRequest_isAcceptedAndReturned() throws Exception {
    // The getTimestamp "response" sample is the broker's answer to a device (devices.md §5.5), not a device's.
    List<ObjectNode> responses = payloads("response").stream()
        .filter(p -> !"getTimestamp".equals(p.path("action").asText())).toList();
    assertThat(responses).hasSizeGreaterThanOrEqualTo(25);
    try (TestBroker tb = broker();
        DevicesFixture.Device d = DevicesFixture.Device.connect(tb.port(), DEVICE, "ESP32")) {
      for (ObjectNode p : responses) {
        boolean module = !p.has("deviceId");
        String action = p.path("action").asText();
        String body = "{\"action\":\"" + action + "\",\"value\":{}" + (module ? ",\"scope\":\"module\"" : "") + "}";
        CompletableFuture<HttpResponse<String>> call =
            CompletableFuture.supplyAsync(() -> DevicesFixture.action(tb.port(), DEVICE, body));
        String request = d.nextText();
        String token = DevicesFixture.field(DevicesFixture.payloadOf(request), "replyToken");
        p.put("replyToken", token).put("createdAt", now());
        if (!module) {
          p.put("deviceId", DEVICE);
        }
        d.send(signed(JSON.writeValueAsString(p)));
        HttpResponse<String> r = call.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(p.toString()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.get("success").asBoolean()).isEqualTo(p.path("success").asBoolean(false));
        assertThat(answer.get("value")).isEqualTo(p.path("value").isObject() ? p.get("value") : JSON.createObjectNode());
      }
      assertThat(tb.counter("switchboard.rejected", "dialect", "devices", "reason", "bad_signature")).isZero();
    }
  }
}
