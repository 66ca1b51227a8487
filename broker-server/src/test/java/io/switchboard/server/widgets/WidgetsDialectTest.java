package io.switchboard.server.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.config.WidgetsConfig;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The widgets dialect over real sockets (widgets.md §2–§9). */
class WidgetsDialectTest {
  static final String KEY = "6b9f652a-63fd-47d7-a3bc-418c1096eb8c";
  static final String KEY_2 = "0d6c1f43-6f55-4a8e-9d3b-7c2a1e5b9f10";
  static final String ADMIN = "widgets-admin-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  static TestBroker.Builder broker(WidgetsConfig.Builder widgets) {
    return TestBroker.builder().config(c -> c.declare("widget-keys", List.of(
            "{\"key\":\"" + KEY + "\",\"streams\":[\"1\",\"2\",\"full\"]}",
            "{\"key\":\"" + KEY_2 + "\",\"streams\":[\"2\"],\"webhooks\":false}"))
        .admin(new io.switchboard.core.config.AdminConfig(ADMIN)).widgets(widgets.build()));
  }

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  static HttpResponse<String> publish(int port, String stream, String token, String body) {
    return Http.post(port, "/publish/" + stream + "?token=" + token, body, "Content-Type", "application/json");
  }

  static String broadcast(String text) {
    return "{\"message\":{\"text\":\"" + text + "\"},\"timestamp\":2365.123,\"type\":\"broadcast\",\"widget_key\":\""
        + KEY + "\"}";
  }

  /** Opens a subscription and reads its init: [reader, user_id, token]. */
  static Object[] subscribe(int port, String path) throws Exception {
    SseReader r = SseReader.open(port, path);
    assertThat(r.status).isEqualTo(200);
    SseReader.Event init = r.next();
    JsonNode env = json(init.data());
    assertThat(env.get("type").asText()).isEqualTo("init");
    return new Object[] {r, env.at("/message/user_id").asText(), env.at("/message/token").asText(), init};
  }

  @Test
  void initFirst_broadcastToAllIncludingSender_privateOnlyToTarget_viewerCountFollows() throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder()).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/1");
      SseReader ra = (SseReader) a[0];
      assertThat(ra.headers.get("content-type")).startsWith("text/event-stream");
      assertThat(ra.headers.get("cache-control")).isEqualTo("no-cache");
      assertThat(ra.headers.get("x-accel-buffering")).isEqualTo("no");
      assertThat(ra.headers.get("access-control-allow-origin")).isEqualTo("*");
      JsonNode initA = json(((SseReader.Event) a[3]).data());
      assertThat(initA.at("/message/viewer_count").asInt()).isEqualTo(1);
      assertThat(initA.get("author_id").asText()).isEqualTo("0");
      assertThat(initA.get("to_user_id").asText()).isEqualTo(a[1]);
      assertThat((String) a[2]).matches("[A-Za-z0-9_-]{43}");

      Object[] b = subscribe(tb.port(), "/subscribe/1");
      SseReader rb = (SseReader) b[0];
      assertThat(json(((SseReader.Event) b[3]).data()).at("/message/viewer_count").asInt()).isEqualTo(2);
      SseReader.Event join = ra.nextContaining("\"system\"");
      assertThat(json(join.data()).get("message").toString()).isEqualTo("{\"status\":\"join\",\"viewer_count\":2}");

      HttpResponse<String> r = publish(tb.port(), "1", (String) a[2], broadcast("Goal!"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"code\":200,\"message\":\"ok\"}");
      SseReader.Event onA = ra.nextContaining("broadcast");
      SseReader.Event onB = rb.nextContaining("broadcast");
      assertThat(onA.data()).isEqualTo(onB.data());
      assertThat(onA.data()).isEqualTo("{\"stream_id\":\"1\",\"author_id\":\"" + a[1] + "\",\"to_user_id\":\"\","
          + "\"message\":{\"text\":\"Goal!\"},\"timestamp\":2365.123,\"type\":\"broadcast\",\"widget_key\":\"" + KEY
          + "\",\"seq\":" + onA.id() + "}");

      String priv = "{\"message\":{\"text\":\"hi\"},\"to_user_id\":\"" + b[1] + "\",\"timestamp\":2366.5,"
          + "\"type\":\"private\",\"widget_key\":\"" + KEY + "\"}";
      assertThat(publish(tb.port(), "1", (String) a[2], priv).statusCode()).isEqualTo(200);
      SseReader.Event p = rb.nextContaining("private");
      assertThat(json(p.data()).get("to_user_id").asText()).isEqualTo(b[1]);
      assertThat(Long.parseLong(p.id())).isGreaterThan(Long.parseLong(onB.id()));

      rb.close();
      SseReader.Event leave = ra.nextContaining("leave");
      assertThat(json(leave.data()).at("/message/viewer_count").asInt()).isEqualTo(1);
      // The private message never reached A: the next event A sees after the broadcast was the leave.
      assertThat(ra.noneContaining("private", 300)).isTrue();
      ra.close();
    }
  }

  @Test
  void resume_withLastEventIdAndToken_keepsIdentityAndReplaysBroadcastsAndPrivates(@TempDir Path dir)
      throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder()).rocksDb(dir).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/1");
      Object[] b = subscribe(tb.port(), "/subscribe/1");
      SseReader rb = (SseReader) b[0];
      publish(tb.port(), "1", (String) a[2], broadcast("one"));
      SseReader.Event first = rb.nextContaining("one");
      rb.close();
      // Published while B is away: two broadcasts and a private to B (within its token's grace).
      assertThat(publish(tb.port(), "1", (String) a[2], broadcast("two")).statusCode()).isEqualTo(200);
      assertThat(publish(tb.port(), "1", (String) a[2], "{\"message\":\"psst\",\"to_user_id\":\"" + b[1]
          + "\",\"timestamp\":1,\"type\":\"private\",\"widget_key\":\"" + KEY + "\"}").statusCode()).isEqualTo(200);
      assertThat(publish(tb.port(), "1", (String) a[2], broadcast("three")).statusCode()).isEqualTo(200);

      try (SseReader again = SseReader.open(tb.port(), "/subscribe/1?token=" + b[2],
          Map.of("Last-Event-ID", first.id()))) {
        JsonNode init = json(again.next().data());
        assertThat(init.at("/message/user_id").asText()).isEqualTo(b[1]);
        assertThat(init.at("/message/token").asText()).isEqualTo(b[2]);
        assertThat(json(again.next().data()).at("/message/text").asText()).isEqualTo("two");
        assertThat(json(again.next().data()).get("message").asText()).isEqualTo("psst");
        assertThat(json(again.next().data()).at("/message/text").asText()).isEqualTo("three");
      }
      ((SseReader) a[0]).close();
    }
  }

  @Test
  void request_returnsStoredBroadcastsAfterARestart_withPaging(@TempDir Path dir) throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder()).rocksDb(dir).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/2");
      for (int i = 1; i <= 5; i++) {
        assertThat(publish(tb.port(), "2", (String) a[2], broadcast("m" + i)).statusCode()).isEqualTo(200);
      }
      ((SseReader) a[0]).close();
    }
    try (TestBroker tb = broker(WidgetsConfig.builder()).rocksDb(dir).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/2");
      SseReader ra = (SseReader) a[0];
      assertThat(publish(tb.port(), "2", (String) a[2], "{\"type\":\"request\",\"widget_key\":\"" + KEY_2 + "\"}")
          .statusCode()).isEqualTo(200);
      JsonNode reply = json(ra.nextContaining("\"request\"").data());
      assertThat(reply.get("to_user_id").asText()).isEqualTo(a[1]);
      assertThat(reply.get("widget_key").asText()).isEqualTo(KEY_2);
      assertThat(reply.get("message")).hasSize(5);
      assertThat(reply.at("/message/0/message/text").asText()).isEqualTo("m1");
      assertThat(reply.at("/message/4/message/text").asText()).isEqualTo("m5");
      long seq2 = reply.at("/message/1/seq").asLong();

      publish(tb.port(), "2", (String) a[2], "{\"type\":\"request\",\"message\":{\"after\":" + seq2
          + ",\"limit\":2},\"widget_key\":\"" + KEY + "\"}");
      JsonNode page = json(ra.nextContaining("\"request\"").data()).get("message");
      assertThat(page).hasSize(2);
      assertThat(page.at("/0/message/text").asText()).isEqualTo("m3");
      assertThat(page.at("/1/message/text").asText()).isEqualTo("m4");

      publish(tb.port(), "2", (String) a[2], "{\"type\":\"request\",\"message\":{\"limit\":2},\"widget_key\":\""
          + KEY + "\"}");
      page = json(ra.nextContaining("\"request\"").data()).get("message");
      assertThat(page.at("/0/message/text").asText()).isEqualTo("m4");
      assertThat(page.at("/1/message/text").asText()).isEqualTo("m5");
      // The sequence continues above the restart: a new broadcast gets a larger seq than every stored one.
      publish(tb.port(), "2", (String) a[2], broadcast("m6"));
      assertThat(json(ra.nextContaining("m6").data()).get("seq").asLong())
          .isGreaterThan(reply.at("/message/4/seq").asLong());
      ra.close();
    }
  }

  @Test
  void history_isTrimmedToMaxPerStream_inTheStoreToo_andSurvivesARestart(@TempDir Path dir) throws Exception {
    WidgetsConfig.Builder widgets = WidgetsConfig.builder().historyMaxPerStream(3)
        .historyMaxAge(java.time.Duration.ofHours(1));
    try (TestBroker tb = broker(widgets).rocksDb(dir).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/2");
      for (int i = 1; i <= 5; i++) {
        assertThat(publish(tb.port(), "2", (String) a[2], broadcast("m" + i)).statusCode()).isEqualTo(200);
      }
      ((SseReader) a[0]).close();
      List<String> stored = new java.util.ArrayList<>();
      tb.broker().store().scanPrefix(io.switchboard.core.store.Keys.of("widgets", "hist", "2", ""), false,
          (k, v) -> stored.add(new String(v, java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(stored).as("the two oldest deleted with the broadcasts that pushed them out").hasSize(3);
      assertThat(json(stored.get(0)).at("/message/text").asText()).isEqualTo("m3");
      assertThat(json(stored.get(2)).at("/message/text").asText()).isEqualTo("m5");
    }
    try (TestBroker tb = broker(widgets).rocksDb(dir).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/2");
      SseReader ra = (SseReader) a[0];
      publish(tb.port(), "2", (String) a[2], "{\"type\":\"request\",\"widget_key\":\"" + KEY + "\"}");
      JsonNode history = json(ra.nextContaining("\"request\"").data()).get("message");
      assertThat(history).extracting(b -> b.at("/message/text").asText()).containsExactly("m3", "m4", "m5");
      ra.close();
    }
  }

  @Test
  void rejections_haveTheSpecsStatusAndBody_andAreCounted() throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder().maxBodyBytes(1024).publishPerSecond(1000)
        .publishBurst(1000)).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/1");
      String t = (String) a[2];
      int port = tb.port();
      check(port, "1", t, "{\"message\":{},\"timestamp\":1,\"type\":\"broadcast\"}", 400,
          "widget_key is required", tb, "missing_widget_key");
      check(port, "1", t, "{\"message\":{},\"timestamp\":1,\"type\":\"broadcast\",\"widget_key\":"
          + "\"11111111-2222-4333-8444-555555555555\"}", 403, "unknown widget key", tb, "unknown_widget_key");
      check(port, "1", t, broadcast("x").replace(KEY, KEY_2), 403, "widget key not allowed on this stream", tb,
          "widget_key_forbidden");
      check(port, "1", t, "{\"timestamp\":1,\"type\":\"broadcast\",\"widget_key\":\"" + KEY + "\"}", 400,
          "message is required", tb, "missing_field");
      check(port, "1", t, "{\"message\":1,\"type\":\"broadcast\",\"widget_key\":\"" + KEY + "\"}", 400,
          "timestamp is required", tb, "missing_field");
      check(port, "1", t, "{\"message\":1,\"timestamp\":1,\"type\":\"private\",\"widget_key\":\"" + KEY + "\"}", 400,
          "to_user_id is required", tb, "missing_field");
      check(port, "1", t, "{\"message\":1,\"timestamp\":1,\"to_user_id\":\"nobody\",\"type\":\"private\","
          + "\"widget_key\":\"" + KEY + "\"}", 404, "recipient not found", tb, "unknown_recipient");
      check(port, "1", t, "{\"message\":\"" + "x".repeat(2000) + "\",\"timestamp\":1,\"type\":\"broadcast\","
          + "\"widget_key\":\"" + KEY + "\"}", 413, "request body too large", tb, "body_too_large");
      check(port, "1", t, "[1,2]", 400, "invalid JSON body", tb, "invalid_body");
      check(port, "1", t, "{\"message\":" + "[".repeat(40) + "]".repeat(40) + ",\"timestamp\":1,"
          + "\"type\":\"broadcast\",\"widget_key\":\"" + KEY + "\"}", 400, "invalid JSON body", tb, "invalid_body");
      check(port, "1", t, "{\"type\":\"vote\",\"widget_key\":\"" + KEY + "\"}", 400, "invalid type", tb,
          "invalid_type");
      check(port, "1", t, "{\"type\":\"init\",\"widget_key\":\"" + KEY + "\"}", 400,
          "type is reserved for the server", tb, "invalid_type");
      check(port, "1", "not-a-token", broadcast("x"), 401, "invalid token", tb, "invalid_token");
      check(port, "2", t, broadcast("x"), 401, "invalid token", tb, "invalid_token"); // token of stream 1
      check(port, "nope", t, broadcast("x"), 404, "stream not found", tb, "unknown_stream");
      check(port, "1", t, "{\"type\":\"request\",\"message\":{\"after\":\"x\"},\"widget_key\":\"" + KEY + "\"}", 400,
          "invalid paging parameters", tb, "invalid_paging");
      check(port, "1", t, "{\"type\":\"webhook\",\"message\":{\"url\":\"http://10.0.0.1/x\"},\"widget_key\":\"" + KEY
          + "\"}", 400, "invalid webhook url", tb, "invalid_url");
      HttpResponse<String> sub = Http.get(port, "/subscribe/unknown");
      assertThat(sub.statusCode()).isEqualTo(404);
      assertThat(sub.body()).isEqualTo("{\"code\":404,\"message\":\"stream not found\"}");
      ((SseReader) a[0]).close();
    }
  }

  private static void check(int port, String stream, String token, String body, int status, String message,
      TestBroker tb, String reason) {
    double before = tb.counter("switchboard.rejected", "dialect", "widgets", "reason", reason);
    HttpResponse<String> r = publish(port, stream, token, body);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    assertThat(r.body()).as(body).isEqualTo("{\"code\":" + status + ",\"message\":\"" + message + "\"}");
    assertThat(tb.counter("switchboard.rejected", "dialect", "widgets", "reason", reason)).as(reason)
        .isEqualTo(before + 1);
  }

  @Test
  void webSocketVariant_initThenEvents_andDataFromTheClientCloses1008() throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder()).start();
        RawWebSocket ws = RawWebSocket.connect("127.0.0.1", tb.port(), "/subscribe/1", Map.of())) {
      assertThat(ws.status()).isEqualTo(101);
      JsonNode init = json(ws.readDataOrClose().text());
      assertThat(init.get("type").asText()).isEqualTo("init");
      publish(tb.port(), "1", init.at("/message/token").asText(), broadcast("ws!"));
      JsonNode b = json(ws.readDataOrClose().text());
      assertThat(b.at("/message/text").asText()).isEqualTo("ws!");
      ws.sendText("{\"type\":\"broadcast\"}");
      RawWebSocket.Frame close = ws.readDataOrClose();
      assertThat(close.closeCode()).isEqualTo(1008);
      assertThat(close.closeReason()).isEqualTo("publish over HTTP");
    }
  }

  @Test
  void endingAStream_sendsEnd_closesSubscribers_andRefusesNewOnes_untilStarted() throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder()).start();
        RawWebSocket ws = RawWebSocket.connect("127.0.0.1", tb.port(), "/subscribe/1", Map.of())) {
      Object[] a = subscribe(tb.port(), "/subscribe/1");
      SseReader ra = (SseReader) a[0];
      json(ws.readDataOrClose().text()); // init
      HttpResponse<String> r = Http.post(tb.port(), "/admin/v1/widget-streams/1/end", "",
          "Authorization", "Bearer " + ADMIN);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(json(ra.nextContaining("\"end\"").data()).get("message").toString())
          .isEqualTo("{\"status\":\"end\",\"viewer_count\":0}");
      assertThat(ra.next()).isNull(); // the SSE stream ended
      RawWebSocket.Frame f;
      do {
        f = ws.readDataOrClose();
      } while (f.opcode() != RawWebSocket.CLOSE && !f.text().contains("\"end\""));
      if (f.opcode() != RawWebSocket.CLOSE) {
        f = ws.readDataOrClose();
      }
      assertThat(f.closeCode()).isEqualTo(1000);
      HttpResponse<String> refused = Http.get(tb.port(), "/subscribe/1");
      assertThat(refused.statusCode()).isEqualTo(410);
      assertThat(refused.body()).isEqualTo("{\"code\":410,\"message\":\"stream ended\"}");
      assertThat(Http.post(tb.port(), "/admin/v1/widget-streams/1/start", "", "Authorization", "Bearer " + ADMIN)
          .statusCode()).isEqualTo(200);
      Object[] again = subscribe(tb.port(), "/subscribe/1");
      ((SseReader) again[0]).close();
      ra.close();
    }
  }

  @Test
  void subscriptionLimits_perIpAndPerStream() throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder().maxSubscriptionsPerIp(2).maxSubscribersPerStream(1))
        .start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/1");
      HttpResponse<String> full = Http.get(tb.port(), "/subscribe/1");
      assertThat(full.statusCode()).isEqualTo(503);
      assertThat(full.body()).isEqualTo("{\"code\":503,\"message\":\"stream is full\"}");
      Object[] b = subscribe(tb.port(), "/subscribe/2");
      HttpResponse<String> many = Http.get(tb.port(), "/subscribe/full");
      assertThat(many.statusCode()).isEqualTo(429);
      assertThat(many.body()).isEqualTo("{\"code\":429,\"message\":\"too many subscriptions\"}");
      ((SseReader) a[0]).close();
      ((SseReader) b[0]).close();
    }
  }

  @Test
  void corsPreflight_andWidgetKeysAsAnAdminResource() throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder()).start()) {
      HttpResponse<String> pre = Http.request(tb.port(), "OPTIONS", "/publish/1", null, "Origin", "https://x.example",
          "Access-Control-Request-Method", "POST");
      assertThat(pre.statusCode()).isEqualTo(204);
      assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("POST, OPTIONS");
      assertThat(pre.headers().firstValue("access-control-allow-headers")).hasValue("Content-Type");
      String k3 = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
      HttpResponse<String> created = Http.post(tb.port(), "/admin/v1/widget-keys", "{\"key\":\"" + k3
          + "\",\"streams\":[\"live-9\"],\"allowedOrigins\":[\"https://shop.example\"]}", "Authorization",
          "Bearer " + ADMIN);
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(Http.get(tb.port(), "/admin/v1/widget-keys/" + k3, "Authorization", "Bearer " + ADMIN).body())
          .contains("\"streams\":[\"live-9\"]").contains("\"webhooks\":true");
      Object[] a = subscribe(tb.port(), "/subscribe/live-9"); // known now
      ((SseReader) a[0]).close();
      HttpResponse<String> denied = Http.request(tb.port(), "OPTIONS", "/publish/live-9", null, "Origin",
          "https://evil.example");
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.body()).isEqualTo("{\"code\":403,\"message\":\"origin not allowed\"}");
    }
  }

  @Test
  void keepalive_sseHeartbeatComments_andWebSocketIdleClose4000() throws Exception {
    try (TestBroker tb = broker(WidgetsConfig.builder().heartbeat(java.time.Duration.ofMillis(100))
        .pingInterval(java.time.Duration.ofSeconds(30)).readIdleTimeout(java.time.Duration.ofMillis(300))).start()) {
      Object[] a = subscribe(tb.port(), "/subscribe/1");
      SseReader ra = (SseReader) a[0];
      ra.awaitComments(2); // ": heartbeat" lines on an otherwise silent stream
      publish(tb.port(), "1", (String) a[2], broadcast("after-heartbeats"));
      ra.nextContaining("after-heartbeats"); // still a working stream
      ra.close();
      try (RawWebSocket ws = RawWebSocket.connect("127.0.0.1", tb.port(), "/subscribe/1", Map.of())) {
        assertThat(json(ws.readDataOrClose().text()).get("type").asText()).isEqualTo("init");
        RawWebSocket.Frame close = ws.readDataOrClose(); // silent client: closed at the read-idle deadline
        assertThat(close.closeCode()).isEqualTo(4000);
        assertThat(close.closeReason()).isEqualTo("idle timeout");
      }
    }
  }
}
