package io.switchboard.server.widgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.config.WidgetsConfig;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end through the broker (widgets.md §5.6, §7, §8): a widget publishes {@code type: webhook}, the
 * broker POSTs the envelope to a real receiver on loopback and relays the outcome to the sender's subscription.
 *
 * <p>The receivers are raw HTTP/1.1 servers on 127.0.0.1 / 127.0.0.2 that record every accepted connection, so
 * "refused without any connection attempt" is checked on the socket level: {@link Receiver#connections()} opens a
 * probe connection from 127.0.0.3 and waits until it is accepted; the accept queue is FIFO, so every connection the
 * broker made before the probe has been counted by then. Retries run on the real 1 s backoff, so the whole class
 * takes a few seconds.
 */
class WidgetsWebhookTest {
  static final String KEY = "6b9f652a-63fd-47d7-a3bc-418c1096eb8c";
  static final String NO_HOOKS_KEY = "0d6c1f43-6f55-4a8e-9d3b-7c2a1e5b9f10";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEBHOOK_EVENT = "\"type\":\"webhook\"";

  private static TestBroker start(WidgetsConfig.Builder widgets) {
    return TestBroker.builder().config(c -> c.declare("widget-keys", List.of(
            "{\"key\":\"" + KEY + "\",\"streams\":[\"1\"]}",
            "{\"key\":\"" + NO_HOOKS_KEY + "\",\"streams\":[\"1\"],\"webhooks\":false}"))
        .widgets(widgets.build())).start();
  }

  /** Allowed ports: the defaults plus the receivers' ephemeral ports. */
  private static List<Integer> ports(Receiver... receivers) {
    List<Integer> p = new ArrayList<>(List.of(80, 443));
    for (Receiver r : receivers) {
      p.add(r.port());
    }
    return p;
  }

  private static String webhook(String key, String messageJson) {
    return "{\"message\":" + messageJson + ",\"type\":\"webhook\",\"widget_key\":\"" + key + "\"}";
  }

  private static HttpResponse<String> publish(TestBroker tb, String token, String body) {
    return Http.post(tb.port(), "/publish/1?token=" + token, body, "Content-Type", "application/json");
  }

  private static double rejected(TestBroker tb, String reason) {
    return tb.counter("switchboard.rejected", "dialect", "widgets", "reason", reason);
  }

  private static double webhooks(TestBroker tb, String outcome, String reason) {
    return tb.counter("switchboard.webhooks", "outcome", outcome, "reason", reason);
  }

  /** A publish refused with {@code status}/{@code message}, counted once under {@code reason}. */
  private static void refused(TestBroker tb, String token, String body, int status, String message, String reason) {
    double before = rejected(tb, reason);
    HttpResponse<String> r = publish(tb, token, body);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    assertThat(r.body()).as(body).isEqualTo("{\"code\":" + status + ",\"message\":\"" + message + "\"}");
    assertThat(rejected(tb, reason)).as(reason).isEqualTo(before + 1);
  }

  private static void accepted(TestBroker tb, String token, String body) {
    HttpResponse<String> r = publish(tb, token, body);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"code\":200,\"message\":\"ok\"}");
  }

  /** The exact {@code webhook} event relayed to {@code userId} (§5.6 "Outcome"). */
  private static String outcomeEvent(String userId, String outcomeJson) {
    return "{\"stream_id\":\"1\",\"author_id\":\"0\",\"to_user_id\":\"" + userId + "\",\"message\":" + outcomeJson
        + ",\"timestamp\":0,\"type\":\"webhook\",\"widget_key\":\"" + KEY + "\"}";
  }

  private static String denied(String url) {
    return "{\"url\":\"" + url + "\",\"status\":0,\"ok\":false,\"body\":\"\",\"truncated\":false,\"attempts\":1,"
        + "\"error\":\"destination_denied\"}";
  }

  /** A viewer of stream 1: its reader, user id and publish token. */
  private record Sub(SseReader sse, String userId, String token) implements AutoCloseable {
    static Sub open(TestBroker tb) throws Exception {
      SseReader r = SseReader.open(tb.port(), "/subscribe/1");
      assertThat(r.status).isEqualTo(200);
      JsonNode init = JSON.readTree(r.next().data());
      assertThat(init.get("type").asText()).isEqualTo("init");
      return new Sub(r, init.at("/message/user_id").asText(), init.at("/message/token").asText());
    }

    String nextWebhook() throws IOException {
      return sse.nextContaining(WEBHOOK_EVENT).data();
    }

    @Override
    public void close() throws IOException {
      sse.close();
    }
  }

  // -----------------------------------------------------------------------------------------------------------------

  @Test
  void delivered_toAnAllowListedReceiver_afterRetriesWithOneDeliveryId_andTheOutcomeGoesToTheSenderOnly()
      throws Exception {
    // 500 (retried after the 1 s backoff), 503 with Retry-After: 0 (retried at once), then 200 with a JSON body.
    try (Receiver hook = Receiver.start("127.0.0.1", (n, req) -> switch (n) {
      case 1 -> Receiver.response(500, "", "oops");
      case 2 -> Receiver.response(503, "Retry-After: 0\r\n", "busy");
      default -> Receiver.response(200, "Content-Type: application/json\r\n", "{\"votes\":12}");
    });
        TestBroker tb = start(WidgetsConfig.builder().webhookAllow(List.of("127.0.0.1/32"))
            .webhookAllowedPortNumbers(ports(hook)).webhookMaxRetries(2));
        Sub a = Sub.open(tb);
        Sub b = Sub.open(tb)) {
      String url = "http://127.0.0.1:" + hook.port() + "/poll?id=7";
      String message = "{\"url\":\"" + url + "\",\"choice\":\"b\"}";
      accepted(tb, a.token(), webhook(KEY, message));

      // The outcome reaches the sender's subscription, exactly as §5.6 shows it.
      assertThat(a.nextWebhook()).isEqualTo(outcomeEvent(a.userId(), "{\"url\":\"" + url + "\",\"status\":200,"
          + "\"ok\":true,\"body\":\"{\\\"votes\\\":12}\",\"truncated\":false,\"attempts\":3}"));

      // The receiver saw three POSTs of the same delivery, each on its own connection.
      List<Receiver.Request> seen = hook.requests();
      assertThat(seen).hasSize(3);
      assertThat(hook.connections()).isEqualTo(3);
      String envelope = "{\"stream_id\":\"1\",\"author_id\":\"" + a.userId() + "\",\"to_user_id\":\"\",\"message\":"
          + message + ",\"timestamp\":0,\"type\":\"webhook\",\"widget_key\":\"" + KEY + "\"}";
      String delivery = seen.get(0).headers().get("x-switchboard-delivery");
      assertThat(UUID.fromString(delivery).toString()).isEqualTo(delivery);
      for (Receiver.Request r : seen) {
        assertThat(r.requestLine()).isEqualTo("POST /poll?id=7 HTTP/1.1");
        assertThat(r.headers()).containsEntry("host", "127.0.0.1:" + hook.port())
            .containsEntry("content-type", "application/json")
            .containsEntry("user-agent", "Switchboard-Webhook/1")
            .containsEntry("x-switchboard-delivery", delivery)
            .containsEntry("x-switchboard-stream", "1")
            .doesNotContainKey("cookie");
        assertThat(r.body()).isEqualTo(envelope);
      }
      // Retry 1 waited for the backoff (1 s, jitter -20 % at most); retry 2 honoured Retry-After: 0, since the
      // 2 s backoff would have waited at least 1.6 s.
      assertThat(seen.get(1).arrivedNanos() - seen.get(0).answeredNanos())
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
      assertThat(seen.get(2).arrivedNanos() - seen.get(1).answeredNanos())
          .isLessThan(TimeUnit.MILLISECONDS.toNanos(1600));

      // Counted before the outcome was relayed.
      assertThat(tb.counter("switchboard.webhooks.retries")).isEqualTo(2);
      assertThat(webhooks(tb, "delivered", "2xx")).isEqualTo(1);
      assertThat(tb.meters().find("switchboard.webhooks").tag("outcome", "failed").counters()).isEmpty();

      // Not relayed to anyone else: B's next events up to a later broadcast hold no webhook outcome (seq order).
      accepted(tb, a.token(), "{\"message\":\"after\",\"timestamp\":1,\"type\":\"broadcast\",\"widget_key\":\""
          + KEY + "\"}");
      SseReader.Event e;
      while (!(e = b.sse().next()).data().contains("\"after\"")) {
        assertThat(e.data()).doesNotContain(WEBHOOK_EVENT);
      }
    }
  }

  @Test
  void deniedDestinations_areRefusedWithoutAnyConnection_literalsAt400_namesAndRedirectsAsOutcomes()
      throws Exception {
    // "inner" plays the private service (127.0.0.1, not allow-listed); "edge" is an allow-listed receiver on
    // 127.0.0.2 that redirects to it.
    try (Receiver inner = Receiver.start("127.0.0.1", (n, req) -> Receiver.response(200, "", "reached"));
        Receiver edge = Receiver.start("127.0.0.2", (n, req) -> Receiver.response(307,
            "Location: http://127.0.0.1:" + inner.port() + "/internal\r\n", ""));
        TestBroker tb = start(WidgetsConfig.builder().webhookAllow(List.of("127.0.0.2/32"))
            .webhookAllowedPortNumbers(ports(inner, edge)).webhookMaxRetries(2).webhookPerKeyPerMinute(2));
        Sub a = Sub.open(tb)) {
      int p = inner.port();
      // Literal addresses in denied ranges: 400 at once (the port is allowed, so only the address is refused).
      for (String url : List.of("http://127.0.0.1:" + p + "/x", "http://10.0.0.1:" + p + "/x",
          "http://169.254.169.254:" + p + "/latest/meta-data/", "http://[::1]:" + p + "/x",
          "http://[::ffff:127.0.0.1]:" + p + "/x")) {
        refused(tb, a.token(), webhook(KEY, "{\"url\":\"" + url + "\"}"), 400, "invalid webhook url", "invalid_url");
      }
      // A key without webhooks: 403, whatever the URL.
      refused(tb, a.token(), webhook(NO_HOOKS_KEY, "{\"url\":\"http://127.0.0.2:" + edge.port() + "/\"}"), 403,
          "webhooks not allowed for this widget key", "webhook_forbidden");

      // A name is accepted at publish (it is not a literal); it resolves to loopback, so delivery is denied.
      String byName = "http://localhost:" + p + "/x";
      accepted(tb, a.token(), webhook(KEY, "{\"url\":\"" + byName + "\"}"));
      assertThat(a.nextWebhook()).isEqualTo(outcomeEvent(a.userId(), denied(byName)));
      assertThat(webhooks(tb, "failed", "destination_denied")).isEqualTo(1);

      // An allow-listed receiver redirecting (307) to a denied address: the hop is checked and refused.
      String redirecting = "http://127.0.0.2:" + edge.port() + "/hop";
      accepted(tb, a.token(), webhook(KEY, "{\"url\":\"" + redirecting + "\"}"));
      assertThat(a.nextWebhook()).isEqualTo(outcomeEvent(a.userId(), denied(redirecting)));
      assertThat(webhooks(tb, "failed", "destination_denied")).isEqualTo(2);

      // Refused URLs took none of the key's webhook budget (2 per minute); a third accepted URL is over it.
      refused(tb, a.token(), webhook(KEY, "{\"url\":\"" + redirecting + "\"}"), 429, "too many requests",
          "rate_limited");

      assertThat(inner.connections()).as("connections to the denied address").isZero();
      assertThat(edge.connections()).as("connections to the redirecting receiver").isEqualTo(1);
      assertThat(edge.requests()).extracting(Receiver.Request::requestLine).containsExactly("POST /hop HTTP/1.1");
      // Denials are final: no retry, nothing delivered.
      assertThat(tb.counter("switchboard.webhooks.retries")).isZero();
      assertThat(webhooks(tb, "delivered", "2xx")).isZero();
    }
  }

  @Test
  void aFullQueue_isRefused503_andCounted_untilTheRunningJobFinishes() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Receiver hook = Receiver.start("127.0.0.1", (n, req) -> {
      if (n == 1) {
        arrived.countDown();
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      }
      return Receiver.response(200, "", "answer " + n);
    });
        TestBroker tb = start(WidgetsConfig.builder().webhookAllow(List.of("127.0.0.1/32"))
            .webhookAllowedPortNumbers(ports(hook)).webhookWorkers(1).webhookQueueSize(0));
        Sub a = Sub.open(tb)) {
      String url = "http://127.0.0.1:" + hook.port() + "/slow";
      String body = webhook(KEY, "{\"url\":\"" + url + "\"}");
      try {
        accepted(tb, a.token(), body);             // takes the only slot (1 worker, queue 0)
        refused(tb, a.token(), body, 503, "webhook queue full", "webhook_queue_full");
        assertThat(webhooks(tb, "rejected", "queue_full")).isEqualTo(1);
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      } finally {
        release.countDown();
      }
      String ok = "{\"url\":\"" + url + "\",\"status\":200,\"ok\":true,\"body\":\"answer %d\",\"truncated\":false,"
          + "\"attempts\":1}";
      assertThat(a.nextWebhook()).isEqualTo(outcomeEvent(a.userId(), ok.formatted(1)));
      // The slot is free again once the outcome is out.
      accepted(tb, a.token(), body);
      assertThat(a.nextWebhook()).isEqualTo(outcomeEvent(a.userId(), ok.formatted(2)));
      assertThat(hook.connections()).as("the refused job never connected").isEqualTo(2);
      assertThat(webhooks(tb, "delivered", "2xx")).isEqualTo(2);
    }
  }

  @Test
  void anOutcomeWhoseSenderLeft_isDroppedAndCounted() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Receiver hook = Receiver.start("127.0.0.1", (n, req) -> {
      arrived.countDown();
      assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      return Receiver.response(200, "", "late");
    });
        TestBroker tb = start(WidgetsConfig.builder().webhookAllow(List.of("127.0.0.1/32"))
            .webhookAllowedPortNumbers(ports(hook)));
        Sub a = Sub.open(tb);
        Sub b = Sub.open(tb)) {
      try {
        accepted(tb, a.token(), webhook(KEY, "{\"url\":\"http://127.0.0.1:" + hook.port() + "/x\"}"));
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        a.close();
        b.sse().nextContaining("\"leave\""); // A's subscription is gone
      } finally {
        release.countDown();
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> tb.counter("switchboard.widgets.webhook.outcomes.dropped") == 1);
      assertThat(webhooks(tb, "delivered", "2xx")).isEqualTo(1);
      // Nobody else got it: B's events up to a later broadcast hold no webhook outcome.
      accepted(tb, b.token(), "{\"message\":\"after\",\"timestamp\":1,\"type\":\"broadcast\",\"widget_key\":\""
          + KEY + "\"}");
      SseReader.Event e;
      while (!(e = b.sse().next()).data().contains("\"after\"")) {
        assertThat(e.data()).doesNotContain(WEBHOOK_EVENT);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------------------------

  /**
   * A raw HTTP/1.1 receiver bound to a loopback address, port 0. It records the peer address of every accepted
   * connection (in accept order) and every request, and answers request {@code n} (1-based) with
   * {@code script.answer(n, request)}, then closes the connection (the broker sends {@code Connection: close}).
   */
  static final class Receiver implements AutoCloseable {
    static final InetAddress PROBE_SOURCE = loopback(127, 0, 0, 3);

    /** One request; {@code answeredNanos} is when the answer was about to be written (0 while not answered). */
    record Request(String requestLine, Map<String, String> headers, String body, long arrivedNanos,
        long answeredNanos) {}

    @FunctionalInterface
    interface Script {
      byte[] answer(int n, Request request) throws Exception;
    }

    private final ServerSocket server;
    private final Script script;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "webhook-receiver");
      t.setDaemon(true);
      return t;
    });
    /** The peer address of every accepted connection, in accept order. */
    private final List<InetAddress> peers = new CopyOnWriteArrayList<>();
    private int probesMade;
    private final ConcurrentSkipListMap<Integer, Request> requests = new ConcurrentSkipListMap<>();
    private final AtomicInteger served = new AtomicInteger();

    private Receiver(String address, Script script) throws IOException {
      this.server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
      this.script = script;
      threads.execute(this::acceptLoop);
    }

    static Receiver start(String address, Script script) throws IOException {
      return new Receiver(address, script);
    }

    private static InetAddress loopback(int... octets) {
      try {
        return InetAddress.getByAddress(new byte[] {(byte) octets[0], (byte) octets[1], (byte) octets[2],
            (byte) octets[3]});
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    static byte[] response(int status, String extraHeaders, String body) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      return ("HTTP/1.1 " + status + " X\r\n" + extraHeaders + "Content-Length: " + b.length
          + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    int port() {
      return server.getLocalPort();
    }

    /** The requests answered so far, in arrival order. */
    List<Request> requests() {
      return List.copyOf(requests.values());
    }

    /**
     * Connections accepted so far, probes excluded. Opens a probe from {@link #PROBE_SOURCE} (an address the broker
     * never connects from) and waits until it is accepted: connections are accepted in the order they were
     * established, so every connection the broker established before the probe has been counted by then.
     */
    int connections() throws IOException {
      try (Socket probe = new Socket()) {
        probe.bind(new InetSocketAddress(PROBE_SOURCE, 0));
        probe.connect(server.getLocalSocketAddress(), 5_000);
        int probesMade = ++this.probesMade;
        await().atMost(Duration.ofSeconds(10))
            .until(() -> peers.stream().filter(a -> a.equals(PROBE_SOURCE)).count() == probesMade);
        return (int) peers.stream().filter(a -> !a.equals(PROBE_SOURCE)).count();
      }
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          peers.add(s.getInetAddress());
          threads.execute(() -> serve(s));
        } catch (IOException | RuntimeException e) {
          return; // closed
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        s.setSoTimeout(10_000);
        InputStream in = new BufferedInputStream(s.getInputStream());
        String requestLine = line(in);
        if (requestLine == null) {
          return; // a probe
        }
        long arrived = System.nanoTime();
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
          int c = h.indexOf(':');
          headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        int n = served.incrementAndGet();
        byte[] answer = script.answer(n, new Request(requestLine, headers, body, arrived, 0));
        // Recorded before answering: the broker relays the outcome only after it read the answer.
        requests.put(n, new Request(requestLine, headers, body, arrived, System.nanoTime()));
        OutputStream out = s.getOutputStream();
        out.write(answer);
        out.flush();
      } catch (SocketException closed) {
        // the broker (or close()) closed the connection
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** A line without CRLF; null at EOF before any byte. */
    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        b.write(c);
      }
      if (c == -1 && b.size() == 0) {
        return null;
      }
      String s = b.toString(StandardCharsets.ISO_8859_1);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
      server.close();
      threads.shutdownNow();
    }
  }
}
