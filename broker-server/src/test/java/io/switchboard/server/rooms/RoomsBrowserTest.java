package io.switchboard.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.config.RoomsConfig;
import io.switchboard.server.testing.Browser;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rooms acceptance test in a real browser (Debian's chromium driven by playwright-core): the demo room page
 * uses {@code WebSocket} and {@code fetch} exactly as the Talkee web client does.
 */
class RoomsBrowserTest {

  private static TestBroker.Builder broker(Path dir, Duration authTimeout) {
    return RoomsDialectTest.broker(RoomsConfig.builder().authTimeout(authTimeout)).rocksDb(dir)
        .config(c -> c.demoPages(true));
  }

  @Test
  @Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
  void twoPagesInARoom_seeEachOthersMessages_otherRoomDoesNot_andHistorySurvivesARestart(@TempDir Path dir)
      throws Exception {
    String token2 = RoomsDialectTest.token(2, "Ada", System.currentTimeMillis() / 1000 + 3600);
    try (Browser browser = new Browser()) {
      try (TestBroker tb = broker(dir, Duration.ofSeconds(10)).start()) {
        String base = "http://127.0.0.1:" + tb.port() + "/demo/rooms.html?site_id=7&slug=";
        browser.open("p1", base + "post-1&token=" + RoomsDialectTest.TOKEN_1);
        browser.open("p2", base + "post-1&token=" + token2);
        browser.open("p3", base + "post-2&token=" + token2);
        for (String p : new String[] {"p1", "p2", "p3"}) {
          browser.waitFor(p, "window.__opened === true", Duration.ofSeconds(10));
        }
        // All three authenticated (nothing is sent back on success: the broker's presence count tells).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
            Http.get(tb.port(), "/ws/presence?site_id=7&slug=post-1").body().contains("\"authenticated_sockets\":2")
            && Http.get(tb.port(), "/ws/presence?site_id=7&slug=post-2").body()
                .contains("\"authenticated_sockets\":1"));

        JsonNode posted = browser.eval("p1", "window.__room.post('hello from page 1')");
        assertThat(posted.path("status").asInt()).isEqualTo(200);
        browser.waitFor("p2", "window.__received.some(m => m.source === 'ws' && m.text === 'hello from page 1')",
            Duration.ofSeconds(10));
        // Page 1 has its own post once (the POST answer) and no echo over the socket; page 3 saw nothing.
        JsonNode p1 = browser.eval("p1",
            "window.__received.filter(m => m.text === 'hello from page 1').map(m => m.source)");
        assertThat(p1.toString()).isEqualTo("[\"post\"]");
        JsonNode p3 = browser.eval("p3", "window.__received.filter(m => m.text === 'hello from page 1').length");
        assertThat(p3.asInt()).isZero();
        // A screenshot of the room page with the message it received, kept under target/ like every demo page's.
        Path shot = browser.screenshot("p2", Path.of("target", "screenshots", "rooms.png"));
        assertThat(java.nio.file.Files.size(shot)).isGreaterThan(1000);
      }
      try (TestBroker tb = broker(dir, Duration.ofSeconds(10)).start()) {
        String latest = Http.get(tb.port(), "/ws/messages?site_id=7&slug=post-1&filter=latest").body();
        assertThat(latest).contains("\"data\":\"aGVsbG8gZnJvbSBwYWdlIDE=\"");
        browser.open("p4", "http://127.0.0.1:" + tb.port() + "/demo/rooms.html?site_id=7&slug=post-1&token="
            + token2);
        browser.waitFor("p4", "window.__received.some(m => m.source === 'history' && m.text === 'hello from page 1')",
            Duration.ofSeconds(10));
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
  void badToken_closes4001_andSilentSocket_closes4002(@TempDir Path dir) throws Exception {
    try (Browser browser = new Browser();
        TestBroker tb = broker(dir, Duration.ofMillis(800)).start()) {
      String base = "http://127.0.0.1:" + tb.port() + "/demo/rooms.html?site_id=7&slug=post-1";
      browser.open("bad", base + "&token=not-a-token");
      JsonNode bad = browser.waitFor("bad", "window.__closed", Duration.ofSeconds(10));
      assertThat(bad.path("code").asInt()).isEqualTo(4001);
      assertThat(bad.path("reason").asText()).isEqualTo("invalid token");
      browser.open("silent", base + "&auth=none");
      JsonNode silent = browser.waitFor("silent", "window.__closed", Duration.ofSeconds(10));
      assertThat(silent.path("code").asInt()).isEqualTo(4002);
      assertThat(silent.path("reason").asText()).isEqualTo("authentication timeout");
    }
  }
}
