package io.switchboard.server.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.config.WidgetsConfig;
import io.switchboard.server.testing.Browser;
import io.switchboard.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widgets acceptance test in a real browser (Debian's chromium driven by playwright-core): the demo widget page
 * subscribes with {@code EventSource} (or, with {@code transport=ws}, the WebSocket variant) and publishes with
 * {@code fetch}, exactly as the inLive SDK and tutorials do (widgets.md §2–§6).
 *
 * <p>Every wait polls the page's test hooks ({@code window.__events}, {@code __userId}, {@code __viewerCount}, …)
 * through the harness; "did not arrive" is proven with a barrier: a later broadcast that the page did receive, since
 * each subscriber gets its events in {@code seq} order.
 */
class WidgetsBrowserTest {
  private static final String KEY = WidgetsDialectTest.KEY;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** The texts of the broadcast events a page received (live or replayed), in arrival order. */
  private static final String BROADCAST_TEXTS =
      "window.__events.filter(e => e.type === 'broadcast').map(e => e.envelope.message.text)";

  private static Browser browser;

  @BeforeAll
  static void startBrowser() {
    browser = new Browser();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private static TestBroker.Builder broker(Path dir) {
    return WidgetsDialectTest.broker(WidgetsConfig.builder()).rocksDb(dir).config(c -> c.demoPages(true));
  }

  private static String page(TestBroker tb, String query) {
    return "http://127.0.0.1:" + tb.port() + "/demo/widgets.html?stream=1&widget_key=" + KEY + query;
  }

  /** JS: whether the page has a broadcast event whose text is {@code text}. */
  private static String hasBroadcast(String text) {
    return "window.__events.some(e => e.type === 'broadcast' && e.envelope.message.text === '" + text + "')";
  }

  /** Publishes a broadcast from {@code page} through the page's own {@code fetch}; asserts the 200 answer. */
  private static void send(String page, String text) {
    JsonNode r = browser.eval(page, "window.__widget.send('" + text + "')");
    assertThat(r.path("status").asInt()).as("publish %s from %s: %s", text, page, r).isEqualTo(200);
    assertThat(r.path("body").toString()).isEqualTo("{\"code\":200,\"message\":\"ok\"}");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The page reported no failed publish or subscription and no uncaught exception. */
  private static void assertClean(String page) {
    assertThat(browser.eval(page, "window.__errors").toString()).as("__errors of %s", page).isEqualTo("[]");
    assertThat(browser.console(page).path("pageErrors").toString()).as("page errors of %s", page).isEqualTo("[]");
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void eventSourcePages_initFirst_broadcastPrivateViewerCount_reloadMissesNothing_requestAfterRestart(
      @TempDir Path dir) throws Exception {
    List<String> stored = new ArrayList<>(); // every broadcast published, in order
    try (TestBroker tb = broker(dir).start()) {
      // 1. Two pages subscribe to stream 1; init is the first event on each.
      browser.open("p1", page(tb, ""));
      JsonNode init1 = browser.waitFor("p1", "window.__init", WAIT);
      assertThat(browser.eval("p1", "window.__events[0].type").asText()).isEqualTo("init");
      assertThat(init1.at("/message/viewer_count").asInt()).isEqualTo(1);
      String user1 = browser.eval("p1", "window.__userId").asText();
      assertThat(user1).isEqualTo(init1.at("/message/user_id").asText()).isNotEmpty();

      browser.open("p2", page(tb, ""));
      JsonNode init2 = browser.waitFor("p2", "window.__init", WAIT);
      assertThat(browser.eval("p2", "window.__events[0].type").asText()).isEqualTo("init");
      assertThat(init2.at("/message/viewer_count").asInt()).isEqualTo(2);
      String user2 = browser.eval("p2", "window.__userId").asText();
      String token2 = browser.eval("p2", "window.__token").asText();
      assertThat(user2).isNotEmpty().isNotEqualTo(user1);

      // 4a. Page 1 hears page 2's join: viewer_count 2.
      browser.waitFor("p1", "window.__events.some(e => e.type === 'system' && e.envelope.message.status === 'join'"
          + " && e.envelope.message.viewer_count === 2) && window.__viewerCount === 2", WAIT);
      assertThat(browser.eval("p1", "document.getElementById('viewer-count').textContent").asText()).isEqualTo("2");

      // 2. A broadcast published by page 1 reaches both pages, the sender included, once each.
      send("p1", "Goal!");
      stored.add("Goal!");
      for (String p : new String[] {"p1", "p2"}) {
        browser.waitFor(p, hasBroadcast("Goal!"), WAIT);
        assertThat(texts(browser.eval(p, BROADCAST_TEXTS))).as("broadcasts on %s", p).containsExactly("Goal!");
        JsonNode env = browser.eval(p, "window.__events.find(e => e.type === 'broadcast').envelope");
        assertThat(env.path("author_id").asText()).isEqualTo(user1);
        assertThat(env.path("stream_id").asText()).isEqualTo("1");
        assertThat(env.path("widget_key").asText()).isEqualTo(KEY);
        assertThat(env.path("seq").isIntegralNumber()).isTrue();
      }

      // 3. A private message from page 1 to page 2's user reaches page 2 only.
      JsonNode priv = browser.eval("p1", "window.__widget.send('psst', '" + user2 + "')");
      assertThat(priv.path("status").asInt()).as("private publish: %s", priv).isEqualTo(200);
      JsonNode got = browser.waitFor("p2", "(window.__events.find(e => e.type === 'private') || {}).envelope", WAIT);
      assertThat(got.at("/message/text").asText()).isEqualTo("psst");
      assertThat(got.path("to_user_id").asText()).isEqualTo(user2);
      assertThat(got.path("author_id").asText()).isEqualTo(user1);
      assertThat(browser.eval("p2", "document.querySelectorAll('#chat li.private').length").asInt()).isEqualTo(1);
      // Barrier: page 1 receives a later broadcast, so anything addressed to it earlier would already be there.
      send("p1", "after-private");
      stored.add("after-private");
      browser.waitFor("p1", hasBroadcast("after-private"), WAIT);
      browser.waitFor("p2", hasBroadcast("after-private"), WAIT);
      assertThat(browser.eval("p1", "window.__events.filter(e => e.type === 'private').length").asInt()).isZero();
      assertThat(browser.eval("p1", "document.querySelectorAll('#chat li.private').length").asInt()).isZero();

      // 5. Page 2 goes away; page 1 publishes meanwhile; page 2 reloads and resumes with the same identity.
      browser.eval("p2", "window.__widget.unsubscribe()");
      browser.waitFor("p1", "window.__viewerCount === 1", WAIT); // the broker saw page 2 leave
      List<String> away = List.of("away-1", "away-2", "away-3", "away-4", "away-5");
      for (String t : away) {
        send("p1", t);
        stored.add(t);
      }
      browser.waitFor("p1", hasBroadcast("away-5"), WAIT);
      JsonNode saved = browser.eval("p2", "JSON.parse(sessionStorage.getItem('switchboard.widgets.1'))");
      assertThat(saved.path("token").asText()).isEqualTo(token2);
      assertThat(saved.path("lastEventId").asText()).isNotEmpty();

      browser.reload("p2"); // a fresh page: window.__events starts empty
      JsonNode resumed = browser.waitFor("p2", "window.__init", WAIT);
      assertThat(resumed.at("/message/user_id").asText()).isEqualTo(user2);
      assertThat(resumed.at("/message/token").asText()).isEqualTo(token2);
      assertThat(browser.eval("p2", "window.__userId").asText()).isEqualTo(user2);
      browser.waitFor("p2", hasBroadcast("away-5"), WAIT);
      browser.waitFor("p1", "window.__viewerCount === 2", WAIT);
      // Barrier: a live broadcast after the replay, so a duplicate replay would have shown up by now.
      send("p1", "back");
      stored.add("back");
      browser.waitFor("p2", hasBroadcast("back"), WAIT);
      List<String> afterReload = new ArrayList<>(away);
      afterReload.add("back");
      assertThat(texts(browser.eval("p2", BROADCAST_TEXTS))).containsExactlyElementsOf(afterReload);
      // init first, then the replayed broadcasts in order, with increasing SSE ids equal to their seq.
      assertThat(texts(browser.eval("p2", "window.__events.map(e => e.type)")))
          .containsExactly("init", "broadcast", "broadcast", "broadcast", "broadcast", "broadcast", "broadcast");
      JsonNode ids = browser.eval("p2", "window.__events.slice(1).map(e => [Number(e.id), e.envelope.seq])");
      long previous = Long.parseLong(saved.path("lastEventId").asText()); // what the reload resumed from
      for (JsonNode pair : ids) {
        assertThat(pair.get(0).asLong()).isEqualTo(pair.get(1).asLong()).isGreaterThan(previous);
        previous = pair.get(0).asLong();
      }

      // 4b. Closing page 2 makes page 1 see viewer_count 1 through a system leave event.
      int before = browser.eval("p1", "window.__events.length").asInt();
      browser.closePage("p2");
      JsonNode leave = browser.waitFor("p1", "(window.__events.slice(" + before + ").find(e => e.type === 'system'"
          + " && e.envelope.message.status === 'leave') || {}).envelope", WAIT);
      assertThat(leave.path("message").toString()).isEqualTo("{\"status\":\"leave\",\"viewer_count\":1}");
      assertThat(leave.path("author_id").asText()).isEqualTo("0");
      browser.waitFor("p1", "window.__viewerCount === 1", WAIT);
      assertThat(browser.eval("p1", "document.getElementById('viewer-count').textContent").asText()).isEqualTo("1");
      assertClean("p1");
      browser.closePage("p1");
    }

    // 6. After a restart on the same RocksDB directory, a request returns the stored broadcasts, oldest first.
    try (TestBroker tb = broker(dir).start()) {
      browser.open("p3", page(tb, ""));
      browser.waitFor("p3", "window.__init", WAIT);
      JsonNode r = browser.eval("p3", "window.__widget.request()");
      assertThat(r.path("status").asInt()).as("request publish: %s", r).isEqualTo(200);
      JsonNode reply = browser.waitFor("p3", "(window.__events.find(e => e.type === 'request') || {}).envelope",
          WAIT);
      assertThat(reply.path("to_user_id").asText()).isEqualTo(browser.eval("p3", "window.__userId").asText());
      assertThat(reply.path("widget_key").asText()).isEqualTo(KEY);
      JsonNode history = reply.path("message");
      assertThat(history.isArray()).isTrue();
      List<String> historyTexts = new ArrayList<>();
      long previous = Long.MIN_VALUE;
      for (JsonNode b : history) {
        assertThat(b.path("type").asText()).isEqualTo("broadcast");
        assertThat(b.path("stream_id").asText()).isEqualTo("1");
        assertThat(b.path("seq").asLong()).isGreaterThan(previous);
        previous = b.path("seq").asLong();
        historyTexts.add(b.at("/message/text").asText());
      }
      assertThat(historyTexts).containsExactlyElementsOf(stored);
      // The page shows them in its chat, oldest first.
      assertThat(texts(browser.eval("p3",
          "[...document.querySelectorAll('#chat li.from-request .text')].map(s => s.textContent)")))
          .containsExactlyElementsOf(stored);
      assertClean("p3");

      // 8. A screenshot of the widgets demo page, subscribed and showing the history.
      Path shot = browser.screenshot("p3", SCREENSHOTS.resolve("widgets.png"));
      assertThat(Files.size(shot)).isGreaterThan(1000);
      browser.closePage("p3");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void webSocketVariantPage_receivesInitAndABroadcast(@TempDir Path dir) throws Exception {
    try (TestBroker tb = broker(dir).start()) {
      // 7. The page with transport=ws subscribes with the WebSocket variant; an EventSource page publishes.
      browser.open("ws", page(tb, "&transport=ws"));
      JsonNode init = browser.waitFor("ws", "window.__init", WAIT);
      assertThat(browser.eval("ws", "window.__events[0].type").asText()).isEqualTo("init");
      assertThat(init.at("/message/viewer_count").asInt()).isEqualTo(1);
      assertThat(browser.eval("ws", "window.__closed").isNull()).isTrue();

      browser.open("sse", page(tb, ""));
      browser.waitFor("sse", "window.__init", WAIT);
      browser.waitFor("ws", "window.__viewerCount === 2", WAIT);
      send("sse", "over a socket");
      JsonNode b = browser.waitFor("ws",
          "(window.__events.find(e => e.type === 'broadcast') || {}).envelope", WAIT);
      assertThat(b.at("/message/text").asText()).isEqualTo("over a socket");
      assertThat(b.path("author_id").asText()).isEqualTo(browser.eval("sse", "window.__userId").asText());
      // And the WebSocket page publishes too (over HTTP, as the variant requires); both pages get it.
      send("ws", "from the socket page");
      browser.waitFor("sse", hasBroadcast("from the socket page"), WAIT);
      browser.waitFor("ws", hasBroadcast("from the socket page"), WAIT);
      assertThat(texts(browser.eval("ws", BROADCAST_TEXTS)))
          .containsExactly("over a socket", "from the socket page");
      assertThat(browser.eval("ws", "window.__closed").isNull()).isTrue();
      assertClean("ws");
      assertClean("sse");
      browser.closePage("ws");
      browser.closePage("sse");
    }
  }
}
