package io.switchboard.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.config.RoomsConfig;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.RawWebSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rooms dialect over real sockets and HTTP (rooms.md §2–§8). */
class RoomsDialectTest {
  static final String SECRET = "site-7-secret-change-me-0123456789abcdef";
  /** The spec's example token for site 7: user 1, John Wick, exp 2027-11. */
  static final String TOKEN_1 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoxLCJmdWxsX25hbWUiOiJKb2huIFdpY2siL"
      + "CJhdmF0YXJfdXJsIjoiaHR0cHM6Ly9leGFtcGxlLmNvbS9hLzEuanBnIiwiZXhwIjoxODI3MDI5NDc3fQ.Gqc8EcT3bw0kKBq-pa9_gy7GaC4s"
      + "ajbeluoMmhYJegg";

  static String token(long userId, String name, long exp) throws Exception {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    String input = b.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(("{\"user_id\":" + userId + ",\"full_name\":\"" + name + "\",\"exp\":" + exp + "}")
            .getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static TestBroker.Builder broker(RoomsConfig.Builder rooms) {
    String site = "{\"siteId\":7,\"secret\":\"" + SECRET + "\",\"slugs\":[\"post-1\",\"post-2\"],"
        + "\"allowedOrigins\":[\"https://blog.example\"]}";
    return TestBroker.builder().config(c -> c.declare("sites", List.of(site)).rooms(rooms.build()));
  }

  static RawWebSocket join(int port, String slug) throws Exception {
    RawWebSocket ws = RawWebSocket.connect("127.0.0.1", port, "/ws?site_id=7&slug=" + slug, Map.of());
    assertThat(ws.status()).isEqualTo(101);
    return ws;
  }

  static HttpResponse<String> post(int port, String slug, String token, String messageId, String text) {
    String body = "{\"message_id\":\"" + messageId + "\",\"category\":\"text\",\"data\":\""
        + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"}";
    return Http.post(port, "/ws/messages?site_id=7&slug=" + slug, body, "Authorization", "Bearer " + token);
  }

  @Test
  void postedMessage_reachesOtherSocketsOfTheRoomOnly_andHistorySurvivesARestart(@TempDir Path dir)
      throws Exception {
    String token2 = token(2, "Ada", System.currentTimeMillis() / 1000 + 3600);
    String mid = UUID.randomUUID().toString();
    String posted;
    try (TestBroker tb = broker(RoomsConfig.builder()).rocksDb(dir).start();
        RawWebSocket page1 = join(tb.port(), "post-1");
        RawWebSocket page2 = join(tb.port(), "post-1");
        RawWebSocket other = join(tb.port(), "post-2")) {
      page1.sendText("{\"type\":\"auth\",\"token\":\"" + TOKEN_1 + "\"}");
      page2.sendText("{\"type\":\"auth\",\"token\":\"" + token2 + "\"}");
      other.sendText("{\"type\":\"auth\",\"token\":\"" + token2 + "\"}");
      org.awaitility.Awaitility.await().until(() -> Http.get(tb.port(), "/ws/presence?site_id=7&slug=post-1").body()
          .contains("\"authenticated_sockets\":2"));
      HttpResponse<String> r = post(tb.port(), "post-1", TOKEN_1, mid, "Hello!");
      assertThat(r.statusCode()).isEqualTo(200);
      posted = r.body();
      assertThat(posted).startsWith("{\"category\":\"text\",\"data\":\"SGVsbG8h\",\"created_at\":")
          .contains("\"user\":{\"id\":1,").contains("\"full_name\":\"John Wick\"").contains("\"id\":1,")
          .endsWith("\"message_id\":\"" + mid + "\"}");
      assertThat(page2.readDataOrClose().text()).isEqualTo(posted);
      for (RawWebSocket quiet : List.of(page1, other)) {
        quiet.setReadTimeout(300);
        assertThatThrownBy(quiet::readFrame).isInstanceOf(SocketTimeoutException.class);
      }
      // Idempotent for the same user, refused for another.
      assertThat(post(tb.port(), "post-1", TOKEN_1, mid, "Hello!").body()).isEqualTo(posted);
      HttpResponse<String> conflict = post(tb.port(), "post-1", token2, mid, "mine");
      assertThat(conflict.statusCode()).isEqualTo(409);
      assertThat(conflict.body()).isEqualTo("{\"code\":409,\"msg\":\"message_id already used\"}");
    }
    try (TestBroker tb = broker(RoomsConfig.builder()).rocksDb(dir).start()) {
      assertThat(Http.get(tb.port(), "/ws/messages?site_id=7&slug=post-1&filter=latest").body())
          .isEqualTo("[" + posted + "]");
      assertThat(Http.get(tb.port(), "/ws/messages?site_id=7&slug=post-2&filter=latest").body()).isEqualTo("[]");
      for (int i = 0; i < 3; i++) {
        assertThat(post(tb.port(), "post-1", TOKEN_1, UUID.randomUUID().toString(), "m" + i).statusCode())
            .isEqualTo(200);
      }
      HttpResponse<String> page = Http.get(tb.port(), "/ws/messages?site_id=7&slug=post-1&limit=2");
      assertThat(page.body()).contains("\"id\":3,").contains("\"id\":4,").doesNotContain("\"id\":2,");
      assertThat(page.headers().firstValue("x-next-before")).hasValue("3");
      HttpResponse<String> older = Http.get(tb.port(), "/ws/messages?site_id=7&slug=post-1&limit=2&before=3");
      assertThat(older.body()).contains("\"id\":1,").contains("\"id\":2,");
      assertThat(older.headers().firstValue("x-next-before")).isEmpty();
    }
  }

  @Test
  void badToken_closes4001_andSilentSocket_closes4002AtTheDeadline() throws Exception {
    try (TestBroker tb = broker(RoomsConfig.builder().authTimeout(Duration.ofMillis(400))).start()) {
      try (RawWebSocket ws = join(tb.port(), "post-1")) {
        ws.sendText("{\"type\":\"auth\",\"token\":\"" + TOKEN_1.substring(0, TOKEN_1.length() - 2) + "xx\"}");
        RawWebSocket.Frame close = ws.readDataOrClose();
        assertThat(close.closeCode()).isEqualTo(4001);
        assertThat(close.closeReason()).isEqualTo("invalid token");
      }
      try (RawWebSocket ws = join(tb.port(), "post-1")) {
        ws.sendText("{\"type\":\"hello\"}");
        assertThat(ws.readDataOrClose().closeReason()).isEqualTo("expected auth frame");
      }
      try (RawWebSocket ws = join(tb.port(), "post-1")) {
        ws.sendText("{\"type\":\"auth\",\"token\":\"" + token(3, "Old", 1000) + "\"}");
        assertThat(ws.readDataOrClose().closeReason()).isEqualTo("token expired");
      }
      try (RawWebSocket ws = join(tb.port(), "post-1")) {
        long t0 = System.nanoTime();
        RawWebSocket.Frame close = ws.readDataOrClose();
        assertThat(close.closeCode()).isEqualTo(4002);
        assertThat(close.closeReason()).isEqualTo("authentication timeout");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 3000L);
      }
      assertThat(tb.counter("switchboard.rejected", "dialect", "rooms", "reason", "auth_invalid_token")).isEqualTo(1);
      assertThat(tb.counter("switchboard.closes", "dialect", "rooms", "code", "4002")).isEqualTo(1);
    }
  }

  @Test
  void roomsOfAWildcardSite_leaveMemoryWhenEmptyAndIdle_keepingTheirHistory() throws Exception {
    MutableClock clock = MutableClock.atNow();
    String site = "{\"siteId\":8,\"secret\":\"" + SECRET + "\",\"slugs\":[\"*\"]}";
    try (TestBroker tb = TestBroker.builder().clock(clock)
        .config(c -> c.declare("sites", List.of(site)).rooms(RoomsConfig.builder().build())).start()) {
      int p = tb.port();
      for (int i = 0; i < 50; i++) {
        assertThat(Http.get(p, "/ws/presence?site_id=8&slug=page-" + i).statusCode()).isEqualTo(200);
      }
      String mid = UUID.randomUUID().toString();
      String body = "{\"message_id\":\"" + mid + "\",\"category\":\"text\",\"data\":\"aGk=\"}";
      assertThat(Http.post(p, "/ws/messages?site_id=8&slug=page-0", body, "Authorization", "Bearer " + TOKEN_1)
          .statusCode()).isEqualTo(200);
      RawWebSocket viewer = RawWebSocket.connect("127.0.0.1", p, "/ws?site_id=8&slug=page-1", Map.of());
      assertThat(viewer.status()).isEqualTo(101);
      org.awaitility.Awaitility.await().until(() -> Http.get(p, "/ws/presence?site_id=8&slug=page-1").body()
          .contains("\"sockets\":1"));
      assertThat(activeRooms(tb)).isEqualTo(50);

      clock.advance(RoomsService.ROOM_IDLE.plusSeconds(1));
      assertThat(Http.get(p, "/ws/presence?site_id=8&slug=new-page").statusCode()).isEqualTo(200);
      assertThat(activeRooms(tb)).as("page-1 (a socket) and new-page stay; the 48 idle rooms are gone")
          .isEqualTo(2);

      // An evicted room comes back from the store: its history, and ids that go on from it.
      assertThat(Http.get(p, "/ws/messages?site_id=8&slug=page-0").body()).contains(mid);
      String next = "{\"message_id\":\"" + UUID.randomUUID() + "\",\"category\":\"text\",\"data\":\"aGk=\"}";
      assertThat(Http.post(p, "/ws/messages?site_id=8&slug=page-0", next, "Authorization", "Bearer " + TOKEN_1)
          .body()).contains("\"id\":2,");
      viewer.close();
    }
  }

  private static double activeRooms(TestBroker tb) {
    return tb.meters().get("switchboard.rooms.active").gauge().value();
  }

  @Test
  void httpChecks_cors_andRateLimit() throws Exception {
    try (TestBroker tb = broker(RoomsConfig.builder().rateLimitMessages(2)).start()) {
      int p = tb.port();
      assertThat(Http.get(p, "/ws/messages?site_id=x&slug=post-1").body())
          .isEqualTo("{\"code\":400,\"msg\":\"invalid site id\"}");
      assertThat(Http.get(p, "/ws/messages?site_id=7").body()).isEqualTo("{\"code\":400,\"msg\":\"invalid slug\"}");
      assertThat(Http.get(p, "/ws/messages?site_id=8&slug=a").statusCode()).isEqualTo(404);
      assertThat(Http.get(p, "/ws/messages?site_id=7&slug=nope").body())
          .isEqualTo("{\"code\":404,\"msg\":\"room not found\"}");
      assertThat(Http.get(p, "/ws/messages", "X-TALKEE-SITE-ID", "7", "X-TALKEE-SITE-SLUG", "post-1").body())
          .isEqualTo("[]");
      assertThat(Http.get(p, "/ws/messages?site_id=7&slug=post-1&filter=oldest").statusCode()).isEqualTo(400);
      assertThat(post(p, "post-1", "bad", UUID.randomUUID().toString(), "x").statusCode()).isEqualTo(401);
      assertThat(Http.post(p, "/ws/messages?site_id=7&slug=post-1", "[1]", "Authorization", "Bearer " + TOKEN_1)
          .body()).isEqualTo("{\"code\":400,\"msg\":\"invalid request body\"}");

      assertThat(post(p, "post-1", TOKEN_1, UUID.randomUUID().toString(), "1").statusCode()).isEqualTo(200);
      assertThat(post(p, "post-1", TOKEN_1, UUID.randomUUID().toString(), "2").statusCode()).isEqualTo(200);
      HttpResponse<String> limited = post(p, "post-1", TOKEN_1, UUID.randomUUID().toString(), "3");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("retry-after")).isPresent();

      java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
      var ok = c.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + p + "/ws/messages?site_id=7&slug=post-1"))
          .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://blog.example").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(204);
      assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue("https://blog.example");
      assertThat(ok.headers().firstValue("access-control-allow-headers").orElse("")).contains("Authorization");
      var denied = c.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + p + "/ws/messages?site_id=7&slug=post-1"))
          .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.body()).isEqualTo("{\"code\":403,\"msg\":\"origin not allowed\"}");
    }
  }

  @Test
  void postWithoutAToken_oversizedBody_andOversizedFrame_areRefusedAndCounted() throws Exception {
    try (TestBroker tb = broker(RoomsConfig.builder().maxBodyBytes(1024)).start()) {
      int p = tb.port();
      String body = "{\"message_id\":\"" + UUID.randomUUID() + "\",\"category\":\"text\",\"data\":\"SGk=\"}";
      HttpResponse<String> noToken = Http.post(p, "/ws/messages?site_id=7&slug=post-1", body);
      assertThat(noToken.statusCode()).isEqualTo(401);
      assertThat(noToken.body()).isEqualTo("{\"code\":401,\"msg\":\"unauthorized\"}");
      assertThat(tb.counter("switchboard.rejected", "dialect", "rooms", "reason", "unauthorized")).isEqualTo(1);

      HttpResponse<String> big = Http.post(p, "/ws/messages?site_id=7&slug=post-1",
          "{\"data\":\"" + "A".repeat(2000) + "\"}", "Authorization", "Bearer " + TOKEN_1);
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(big.body()).isEqualTo("{\"code\":413,\"msg\":\"request body too large\"}");
      assertThat(tb.counter("switchboard.rejected", "dialect", "rooms", "reason", "body_too_large")).isEqualTo(1);

      try (RawWebSocket ws = join(p, "post-1")) {
        ws.sendText("{\"type\":\"auth\",\"token\":\"" + "x".repeat(5000) + "\"}"); // over the 4096-byte frame limit
        RawWebSocket.Frame close = ws.readDataOrClose();
        assertThat(close.closeCode()).isEqualTo(1009);
      }
      org.awaitility.Awaitility.await().until(() -> tb.counter("switchboard.closes", "dialect", "rooms", "code",
          "1009") == 1);
    }
  }
}
