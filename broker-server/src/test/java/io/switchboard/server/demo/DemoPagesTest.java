package io.switchboard.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.testing.Browser;
import io.switchboard.server.testing.TestBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo pages and the browser harness, without any dialect: a test-only dialect registers {@link DemoPages};
 * the pages are loaded in the real headless Chromium and checked over plain HTTP.
 */
class DemoPagesTest {
  private static TestBroker broker;
  private static Browser browser;
  private static String base;

  /** Registers only the demo pages, as the config switch will. */
  static final class DemoDialect implements Dialect {
    @Override
    public String name() {
      return "demo";
    }

    @Override
    public void start(DialectContext context) {
      new DemoPages().register(context.routes());
    }
  }

  @BeforeAll
  static void start() {
    broker = TestBroker.builder().withoutStandardDialects().dialect(new DemoDialect()).start();
    base = "http://127.0.0.1:" + broker.port();
    browser = new Browser();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void roomsPageLoadsUnderItsPolicyAndFailsUnknownSocketPaths() {
    JsonNode open = browser.open("rooms", base + "/demo/rooms.html");
    assertThat(open.path("status").asInt()).isEqualTo(200);
    assertThat(open.path("title").asText()).isEqualTo("Switchboard rooms demo");
    // rooms.js ran: the external script is allowed by script-src 'self'
    assertThat(browser.waitFor("rooms", "window.__room && Array.isArray(window.__received)",
        Duration.ofSeconds(5)).asBoolean()).isTrue();
    assertThat(browser.eval("rooms", "document.getElementById('messages').tagName").asText()).isEqualTo("UL");
    assertThat(browser.eval("rooms", "window.__closed").isNull()).isTrue();
    assertNoErrors("rooms");
    browser.screenshot("rooms", Path.of("target", "browser", "demo-rooms.png"));

    // the policy is in force: an injected inline script does not run
    JsonNode inline = browser.eval("rooms", "(() => { const s = document.createElement('script');"
        + " s.textContent = 'window.__inline = 1'; document.head.appendChild(s);"
        + " return window.__inline === undefined; })()");
    assertThat(inline.asBoolean()).isTrue();
    assertThat(consoleErrors("rooms")).anyMatch(t -> t.contains("Content Security Policy"));

    // a socket to a path nobody serves fails the handshake (404), and is not refused by the policy
    JsonNode ws = browser.eval("rooms", "new Promise(resolve => {"
        + " const w = new WebSocket('ws://127.0.0.1:" + broker.port() + "/no-such-path'); let error = false;"
        + " w.onerror = () => { error = true; };"
        + " w.onopen = () => resolve({opened: true});"
        + " w.onclose = e => resolve({code: e.code, error: error, opened: false}); })", Duration.ofSeconds(10));
    assertThat(ws.path("opened").asBoolean()).isFalse();
    assertThat(ws.path("error").asBoolean()).isTrue();
    assertThat(ws.path("code").asInt()).isEqualTo(1006);
    List<String> errors = consoleErrors("rooms");
    assertThat(errors).anyMatch(t -> t.contains("no-such-path") && t.contains("404"));
    assertThat(errors).noneMatch(t -> t.contains("Refused to connect"));
    browser.closePage("rooms");
  }

  @Test
  void roomsPageRecordsTheCloseWhenNoRoomsDialectAnswers() {
    // with site_id and slug the page connects at once; this broker has no rooms dialect, so /ws is a 404
    browser.open("rooms-auto", base + "/demo/rooms.html?site_id=7&slug=post-1&token=x");
    JsonNode closed = browser.waitFor("rooms-auto", "window.__closed", Duration.ofSeconds(10));
    assertThat(closed.path("code").asInt()).isEqualTo(1006);
    assertThat(browser.eval("rooms-auto", "document.getElementById('status').className").asText())
        .isEqualTo("closed");
    assertThat(browser.eval("rooms-auto", "window.__opened").asBoolean()).isFalse();
    assertThat(consoleErrors("rooms-auto")).noneMatch(t -> t.contains("Content Security Policy"));
    browser.closePage("rooms-auto");
  }

  @Test
  void widgetsPageAndIndexLoad() {
    JsonNode open = browser.open("widgets", base + "/demo/widgets.html");
    assertThat(open.path("status").asInt()).isEqualTo(200);
    assertThat(open.path("title").asText()).isEqualTo("Switchboard widgets demo");
    assertThat(browser.waitFor("widgets", "window.__widget && window.__events", Duration.ofSeconds(5)).isArray())
        .isTrue();
    assertNoErrors("widgets");
    browser.screenshot("widgets", Path.of("target", "browser", "demo-widgets.png"));
    browser.closePage("widgets");

    JsonNode index = browser.open("index", base + "/demo/");
    assertThat(index.path("title").asText()).isEqualTo("Switchboard demos");
    assertThat(browser.eval("index", "[...document.querySelectorAll('#demos a')].map(a => a.getAttribute('href'))")
        .toString()).isEqualTo("[\"rooms.html\",\"widgets.html\"]");
    assertNoErrors("index");
    browser.closePage("index");
  }

  @Test
  void servesPagesWithTypesAndPolicy() throws IOException {
    Response r = get("/demo/rooms.html");
    assertThat(r.status).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(r.header("cache-control")).isEqualTo("no-cache");
    assertThat(r.header("content-security-policy"))
        .isEqualTo(DemoPages.CONTENT_SECURITY_POLICY)
        .contains("default-src 'none'", "script-src 'self'", "connect-src 'self' ws: wss:")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
    assertThat(r.body).contains("<script src=\"rooms.js\"").doesNotContain("<script>");

    assertThat(get("/demo/rooms.js").header("content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(get("/demo/widgets.js").header("content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(get("/demo/demo.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
    Response index = get("/demo/");
    assertThat(index.status).isEqualTo(200);
    assertThat(index.body).contains("href=\"rooms.html\"", "href=\"widgets.html\"");
    assertThat(get("/demo/widgets.html?stream=1").status).isEqualTo(200);
    Response redirect = get("/demo");
    assertThat(redirect.status).isEqualTo(301);
    assertThat(redirect.header("location")).isEqualTo("/demo/");
    assertThat(request("POST", "/demo/rooms.html").status).isEqualTo(405);
  }

  @Test
  void unknownNamesAndTraversalAre404() throws IOException {
    for (String path : List.of("/demo/nope.html", "/demo/DemoPages.class", "/demo/ROOMS.HTML",
        "/demo/../demo/rooms.html", "/demo/%2e%2e/%2e%2e/pom.xml", "/demo/..%2f..%2fDemoPages.class",
        "/demo/..%5c..%5cDemoPages.class", "/demo//rooms.html", "/demo/rooms.html%00.js", "/demo/rooms.html/",
        "/demo/./rooms.html", "/demo/%2Fetc%2Fpasswd", "/demo/io/switchboard/server/demo/rooms.html")) {
      Response r = get(path);
      assertThat(r.status).as(path).isEqualTo(404);
      assertThat(r.body).as(path).isEqualTo("{\"error\":\"not_found\"}");
      assertThat(r.header("content-type")).as(path).isEqualTo("application/json");
    }
  }

  private static void assertNoErrors(String page) {
    JsonNode c = browser.console(page);
    assertThat(consoleErrors(page)).as("console errors on " + page).isEmpty();
    assertThat(c.path("pageErrors")).as("uncaught errors on " + page).isEmpty();
    assertThat(c.path("failedRequests")).as("failed requests on " + page).isEmpty();
  }

  private static List<String> consoleErrors(String page) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : browser.console(page).path("messages")) {
      if ("error".equals(m.path("type").asText())) {
        out.add(m.path("text").asText());
      }
    }
    return out;
  }

  private record Response(int status, List<String> headers, String body) {
    String header(String name) {
      for (String h : headers) {
        int i = h.indexOf(':');
        if (i > 0 && h.substring(0, i).trim().equalsIgnoreCase(name)) {
          return h.substring(i + 1).trim();
        }
      }
      return null;
    }
  }

  private static Response get(String rawPath) throws IOException {
    return request("GET", rawPath);
  }

  /** A raw HTTP/1.1 request, so the path reaches the broker exactly as written (no client normalisation). */
  private static Response request(String method, String rawPath) throws IOException {
    try (Socket s = new Socket("127.0.0.1", broker.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((method + " " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = all.indexOf("\r\n\r\n");
      String[] head = all.substring(0, end).split("\r\n");
      int status = Integer.parseInt(head[0].split(" ")[1]);
      return new Response(status, List.of(head).subList(1, head.length), all.substring(end + 4));
    }
  }

  static {
    try {
      Files.createDirectories(Path.of("target", "browser"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
