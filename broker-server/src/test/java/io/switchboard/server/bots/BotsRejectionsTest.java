package io.switchboard.server.bots;

import static io.switchboard.server.bots.BlazeFixture.A;
import static io.switchboard.server.bots.BlazeFixture.B;
import static io.switchboard.server.bots.BlazeFixture.b64;
import static io.switchboard.server.bots.BlazeFixture.createMessage;
import static io.switchboard.server.bots.BlazeFixture.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.config.BotsConfig;
import io.switchboard.server.bots.BlazeFixture.Blaze;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auth failures, hostile frames, the login throttle, the exact quota and expiry (bots.md §3, §4, §6, §7). */
class BotsRejectionsTest {
  private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(10);

  private static TestBroker.Builder broker(BotsConfig.Builder bots) {
    return BlazeFixture.broker().config(c -> c.bots(bots.failureDelay(Duration.ofMillis(20)).build()));
  }

  /** Each attempt from its own 127.0.0.x source, so the per-IP throttle never masks what is tested. */
  private static RawWebSocket upgrade(int port, String token) throws Exception {
    InetAddress from = InetAddress.getByName("127.0.0." + NEXT_ADDRESS.getAndIncrement());
    return RawWebSocket.connect(new InetSocketAddress("127.0.0.1", port), from, "/",
        Map.of("Sec-WebSocket-Protocol", "Mixin-Blaze-1", "Authorization", "Bearer " + token));
  }

  @Test
  void badTokens_areRefused401_withTheirReasonsCounted() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String upgradeSig = sha256Hex("GET/");
    String claims = A.claims(now, now + 3600, UUID.randomUUID().toString(), upgradeSig);
    Mac hs = Mac.getInstance("HmacSHA256");
    hs.init(new SecretKeySpec(HexFormat.of().parseHex(A.publicKeyHex()), "HmacSHA256"));
    String hsInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(claims);
    String hs256 = hsInput + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(hs.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII)));
    BlazeFixture.TestBot impostor = new BlazeFixture.TestBot(A.uid(), A.sessionId(), B.seed());
    String reused = A.sign("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}", A.claims(now, now + 3600, "jti-once", upgradeSig));
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("alg_not_allowed", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims) + ".");
    cases.put("alg_not_allowed ", hs256);
    cases.put("bad_signature", impostor.token("GET", "/", ""));
    cases.put("expired", A.sign("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}",
        A.claims(now - 200, now - 1, UUID.randomUUID().toString(), upgradeSig)));
    cases.put("iat_skew", A.sign("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}",
        A.claims(now - 360, now + 3600, UUID.randomUUID().toString(), upgradeSig)));
    cases.put("sig_mismatch", A.token("GET", "/other", ""));
    try (TestBroker tb = broker(BotsConfig.builder()).start()) {
      for (Map.Entry<String, String> c : cases.entrySet()) {
        RawWebSocket ws = upgrade(tb.port(), c.getValue());
        assertThat(ws.status()).as(c.getKey()).isEqualTo(401);
        assertThat(ws.body()).isEqualTo("{\"error\":{\"status\":202,\"code\":401,\"description\":\"Unauthorized.\"}}");
        ws.close();
      }
      RawWebSocket first = upgrade(tb.port(), reused);
      assertThat(first.status()).isEqualTo(101);
      first.close();
      RawWebSocket second = upgrade(tb.port(), reused);
      assertThat(second.status()).as("a reused jti").isEqualTo(401);
      second.close();
      for (String reason : List.of("alg_not_allowed", "bad_signature", "expired", "iat_skew", "sig_mismatch",
          "jti_reused")) {
        assertThat(tb.counter("switchboard.rejected", "dialect", "bots", "reason", reason)).as(reason)
            .isEqualTo(reason.equals("alg_not_allowed") ? 2 : 1);
      }
    }
  }

  @Test
  void loginThrottle_per_ip_answers429WithRetryAfter() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder().maxFailuresPerIp(3)).start()) {
      for (int i = 0; i < 3; i++) {
        RawWebSocket ws = Blaze.raw(tb.port(), "/", null, "Mixin-Blaze-1");
        assertThat(ws.status()).isEqualTo(401);
        ws.close();
      }
      RawWebSocket throttled = Blaze.raw(tb.port(), "/", A, "Mixin-Blaze-1"); // even a good token, from this IP
      assertThat(throttled.status()).isEqualTo(429);
      assertThat(throttled.header("retry-after")).isNotNull();
      assertThat(tb.counter("switchboard.rejected", "dialect", "bots", "reason", "login_throttled")).isEqualTo(1);
      throttled.close();
    }
  }

  @Test
  void gzipBombAndTruncatedGzip_areRefusedWithoutUnboundedMemory() throws Exception {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 16; i++) {
        gz.write(zeros); // 16 MiB of zeros in ~16 KiB
      }
    }
    assertThat(bomb.size()).isLessThan(64 << 10);
    try (TestBroker tb = broker(BotsConfig.builder()).start()) {
      try (Blaze a = Blaze.connect(tb.port(), A)) {
        a.ws.sendFrame(RawWebSocket.BINARY, true, bomb.toByteArray());
        assertThat(a.next()).contains("\"action\":\"ERROR\"");
        assertThat(a.ws.readDataOrClose().closeCode()).isEqualTo(1009);
      }
      try (Blaze a = Blaze.connect(tb.port(), A)) {
        byte[] whole = BlazeFixture.gzip("{\"id\":\"1\",\"action\":\"LIST_PENDING_MESSAGES\"}");
        a.ws.sendFrame(RawWebSocket.BINARY, true, java.util.Arrays.copyOf(whole, whole.length - 6));
        assertThat(a.next()).contains("\"action\":\"ERROR\"");
        assertThat(a.ws.readDataOrClose().closeCode()).isEqualTo(1007);
      }
      assertThat(tb.counter("switchboard.rejected", "dialect", "bots", "reason", "inflated_too_large")).isEqualTo(1);
      assertThat(tb.counter("switchboard.rejected", "dialect", "bots", "reason", "not_gzip")).isEqualTo(1);
    }
  }

  @Test
  void quota_exactlyTheLimitPerWindow_otherBotsUnaffected_andTheCountSurvivesARestart(@TempDir Path dir)
      throws Exception {
    MutableClock clock = MutableClock.atNow(); // time stands still: every send falls in one window
    int limit = 100_000;
    try (TestBroker tb = broker(BotsConfig.builder()).rocksDb(dir).clock(clock).start()) {
      for (int batch = 0; batch < limit / 100; batch++) {
        assertThat(postMessages(tb.port(), A, 100, clock).body()).as("batch " + batch).isEqualTo("{}");
      }
      String over = UUID.randomUUID().toString();
      var refused = postOne(tb.port(), A, over, clock);
      assertThat(refused.body()).contains("\"code\":429");
      assertThat(tb.broker().store().get(BotsService.msgKey(over))).as("not stored").isNull();
      assertThat(postOne(tb.port(), B, UUID.randomUUID().toString(), clock).body()).isEqualTo("{}");
    }
    clock.advance(Duration.ofSeconds(10)); // still inside the window
    try (TestBroker tb = broker(BotsConfig.builder()).rocksDb(dir).clock(clock).start()) {
      assertThat(postOne(tb.port(), A, UUID.randomUUID().toString(), clock).body()).contains("\"code\":429");
      clock.advance(Duration.ofSeconds(51)); // the first acceptances leave the window
      assertThat(postOne(tb.port(), A, UUID.randomUUID().toString(), clock).body()).isEqualTo("{}");
    }
  }

  private static java.net.http.HttpResponse<String> postMessages(int port, BlazeFixture.TestBot from, int n,
      MutableClock clock) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "" : ",").append(message(from, UUID.randomUUID().toString()));
    }
    String b = body.append(']').toString();
    return Http.post(port, "/messages", b, "Authorization",
        "Bearer " + from.token("POST", "/messages", b, clock.millis() / 1000));
  }

  private static java.net.http.HttpResponse<String> postOne(int port, BlazeFixture.TestBot from, String mid,
      MutableClock clock) {
    String b = message(from, mid);
    return Http.post(port, "/messages", b, "Authorization",
        "Bearer " + from.token("POST", "/messages", b, clock.millis() / 1000));
  }

  private static String message(BlazeFixture.TestBot from, String mid) {
    String to = from == A ? B.uid() : A.uid();
    return "{\"conversation_id\":\"" + BlazeFixture.CONTACT + "\",\"recipient_id\":\"" + to + "\",\"message_id\":\""
        + mid + "\",\"category\":\"PLAIN_TEXT\",\"data\":\"aGk=\"}";
  }

  @Test
  void pendingMessages_expireAfterTheRetention() throws Exception {
    MutableClock clock = MutableClock.atNow();
    try (TestBroker tb = broker(BotsConfig.builder()).clock(clock).start()) {
      String mid = UUID.randomUUID().toString();
      assertThat(postOne(tb.port(), A, mid, clock).body()).isEqualTo("{}");
      clock.advance(Duration.ofDays(7).plusSeconds(1));
      java.util.Map<String, String> h = Map.of("Sec-WebSocket-Protocol", "Mixin-Blaze-1", "Authorization",
          "Bearer " + B.token("GET", "/", "", clock.millis() / 1000));
      try (RawWebSocket ws = RawWebSocket.connect("127.0.0.1", tb.port(), "/", h)) {
        assertThat(ws.status()).isEqualTo(101);
        ws.sendFrame(RawWebSocket.BINARY, true, BlazeFixture.gzip("{\"id\":\"l\",\"action\":\"LIST_PENDING_MESSAGES\"}"));
        assertThat(BlazeFixture.gunzip(ws.readDataOrClose().payload())).contains("LIST_PENDING_MESSAGES");
        ws.setReadTimeout(500);
        assertThatThrownBy(ws::readFrame).as("nothing pending after 7 days").isInstanceOf(SocketTimeoutException.class);
      }
      assertThat(tb.broker().store().get(BotsService.msgKey(mid))).as("the message itself expired too").isNull();
    }
  }

}
