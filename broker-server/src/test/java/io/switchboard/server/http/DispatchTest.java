package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared listener's dispatch table before any dialect: health, metrics, 404, 400 unknown_dialect, limits. */
class DispatchTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.builder().withoutStandardDialects()
        .config(c -> c.server().limits(new io.switchboard.core.config.ServerLimits(4096, 8192, 1024, 65536, 65536)))
        .start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void health_isOk() {
    HttpResponse<String> r = Http.get(broker.port(), "/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
  }

  @Test
  void ready_whenRunning_isReady() {
    HttpResponse<String> r = Http.get(broker.port(), "/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"ready\"}");
  }

  @Test
  void metrics_isPrometheusTextWithSwitchboardSeries() {
    Http.get(broker.port(), "/nope"); // make sure some series exist
    HttpResponse<String> r = Http.get(broker.port(), "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).contains("switchboard_connections_open").contains("switchboard_netty_direct_used_bytes");
  }

  @Test
  void unknownPath_is404Json() {
    HttpResponse<String> r = Http.get(broker.port(), "/no/such/path");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":\"not_found\"}");
  }

  @Test
  void getRoot_withoutUpgrade_is404() {
    assertThat(Http.get(broker.port(), "/").statusCode()).isEqualTo(404);
  }

  @Test
  void upgradeAtRoot_withoutDialectHeaders_is400UnknownDialect() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect("127.0.0.1", broker.port(), "/", Map.of())) {
      assertThat(ws.status()).isEqualTo(400);
      assertThat(ws.body()).isEqualTo("{\"error\":\"unknown_dialect\"}");
      assertThat(ws.header("connection")).isEqualToIgnoringCase("close");
    }
  }

  @Test
  void body_overLimit_is413Json() {
    HttpResponse<String> r = Http.post(broker.port(), "/health", "x".repeat(2048));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("{\"error\":\"payload_too_large\"}");
  }

  @Test
  void headers_overLimit_is431() throws Exception {
    try (Socket s = new Socket("127.0.0.1", broker.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 431");
    }
  }

  @Test
  void pipelinedRequests_areAnsweredInOrder() throws Exception {
    try (Socket s = new Socket("127.0.0.1", broker.port())) {
      s.setSoTimeout(5_000);
      String req = "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      int a = all.indexOf("{\"status\":\"ok\"}");
      int b = all.indexOf("{\"error\":\"not_found\"}");
      int c = all.indexOf("{\"status\":\"ready\"}");
      assertThat(a).isGreaterThan(0);
      assertThat(b).isGreaterThan(a);
      assertThat(c).isGreaterThan(b);
    }
  }
}
