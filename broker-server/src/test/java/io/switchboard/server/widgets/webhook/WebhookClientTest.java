package io.switchboard.server.widgets.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookClientTest {

  private static final DestinationPolicy LOOPBACK_ALLOWED =
      DestinationPolicy.withAllowList(List.of("127.0.0.1/32"));
  private static final byte[] BODY =
      "{\"stream_id\":\"1\",\"type\":\"webhook\"}".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private ExecutorService serverThreads;
  private int port;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Queue<Map<String, String>> seenHeaders = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger connects = new AtomicInteger();
  private final AtomicInteger resolves = new AtomicInteger();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private WebhookClient client;

  /** Counts connection attempts, then connects for real (to the address it was given). */
  private final Connector countingConnector = (address, timeout) -> {
    connects.incrementAndGet();
    return Connector.direct().connect(address, timeout);
  };

  /** A stub resolver: "internal.example" → 10.1.2.3, "mixed.example" → public + private, else unknown. */
  private final HostResolver stubResolver = host -> {
    resolves.incrementAndGet();
    switch (host) {
      case "internal.example":
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3})};
      case "mixed.example":
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}),
            InetAddress.getByAddress(host, new byte[] {(byte) 192, (byte) 168, 0, 1})};
      case "receiver.test":
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
      default:
        throw new UnknownHostException(host);
    }
  };

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newCachedThreadPool();
    server.setExecutor(serverThreads);
    port = server.getAddress().getPort();

    AtomicInteger flaky = new AtomicInteger();
    handle("/flaky", ex -> respond(ex, flaky.incrementAndGet() <= 2 ? 500 : 200, "{\"votes\":12}"));
    handle("/ok", ex -> respond(ex, 200, "fine"));
    handle("/big", ex -> respond(ex, 200, "a".repeat(5000)));
    handle("/big-chunked", ex -> {
      ex.sendResponseHeaders(200, 0);   // chunked
      try (OutputStream os = ex.getResponseBody()) {
        os.write("b".repeat(5000).getBytes(StandardCharsets.US_ASCII));
      }
    });
    handle("/exact", ex -> respond(ex, 200, "c".repeat(4096)));
    handle("/redirect-private", ex -> {
      ex.getResponseHeaders().add("Location", "http://10.0.0.5/x");
      respond(ex, 307, "");
    });
    handle("/redirect-ok", ex -> {
      ex.getResponseHeaders().add("Location", "/ok");
      respond(ex, 308, "");
    });
    handle("/loop", ex -> {
      ex.getResponseHeaders().add("Location", "/loop");
      respond(ex, 307, "");
    });
    handle("/found", ex -> {
      ex.getResponseHeaders().add("Location", "/ok");
      respond(ex, 302, "moved");
    });
    handle("/teapot", ex -> respond(ex, 418, "no"));
    handle("/slow", ex -> {
      awaitRelease();
      respond(ex, 200, "late");
    });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (client != null) {
      client.close();
    }
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }

  private void handle(String path, Handler h) {
    server.createContext(path, ex -> {
      if (!ex.getRequestURI().getPath().equals(path)) {
        respond(ex, 404, "");
        return;
      }
      hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      Map<String, String> seen = new ConcurrentHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), String.join(",", v)));
      seen.put(":method", ex.getRequestMethod());
      seen.put(":body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      seenHeaders.add(seen);
      h.handle(ex);
    });
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  private void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  private WebhookClient client(DestinationPolicy policy, WebhookSettings settings) {
    client = WebhookClient.builder()
        .policy(policy)
        .settings(settings)
        .resolver(stubResolver)
        .connector(countingConnector)
        .meters(meters)
        .build();
    return client;
  }

  private static WebhookSettings fast() {
    return WebhookSettings.defaults().withAllowedPorts(Set.of(80, 443)).withDelayScale(0.001);
  }

  private WebhookSettings fastWithReceiverPort() {
    return fast().withAllowedPorts(java.util.Set.of(80, 443, port));
  }

  private WebhookUrl url(String text) {
    return WebhookUrl.of(text, java.util.Set.of(80, 443, port), null);
  }

  private static WebhookOutcome deliver(WebhookClient c, WebhookJob job) {
    CompletableFuture<WebhookOutcome> f = new CompletableFuture<>();
    assertThat(c.offer(job, f::complete)).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(f::isDone);
    return f.join();
  }

  @Test
  void retriesFiveHundredsThenDeliversWithStableDeliveryId() {
    WebhookClient c = client(LOOPBACK_ALLOWED, fastWithReceiverPort());
    UUID delivery = UUID.randomUUID();
    WebhookOutcome out = deliver(c, new WebhookJob(url("http://127.0.0.1:" + port + "/flaky"), BODY, "1",
        delivery));

    assertThat(out.ok()).isTrue();
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.attempts()).isEqualTo(3);
    assertThat(out.body()).isEqualTo("{\"votes\":12}");
    assertThat(out.truncated()).isFalse();
    assertThat(out.error()).isNull();
    assertThat(out.url()).isEqualTo("http://127.0.0.1:" + port + "/flaky");
    assertThat(hits("/flaky")).isEqualTo(3);
    assertThat(seenHeaders).hasSize(3).allSatisfy(h -> {
      assertThat(h.get("x-switchboard-delivery")).isEqualTo(delivery.toString());
      assertThat(h.get("x-switchboard-stream")).isEqualTo("1");
      assertThat(h.get("user-agent")).isEqualTo("Switchboard-Webhook/1");
      assertThat(h.get("content-type")).isEqualTo("application/json");
      assertThat(h.get("host")).isEqualTo("127.0.0.1:" + port);
      assertThat(h).doesNotContainKey("cookie");
      assertThat(h.get(":method")).isEqualTo("POST");
      assertThat(h.get(":body")).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
    });
    assertThat(meters.counter("switchboard.webhooks", "outcome", "delivered", "reason", "2xx").count())
        .isEqualTo(1.0);
    assertThat(meters.counter("switchboard.webhooks.retries").count()).isEqualTo(2.0);
  }

  @Test
  void hostNameResolvedOnceAndHostHeaderKeepsOriginalName() {
    WebhookClient c = client(DestinationPolicy.withAllowList(List.of("receiver.test")), fastWithReceiverPort());
    WebhookOutcome out = deliver(c, WebhookJob.of(url("http://receiver.test:" + port + "/ok"), BODY, "7"));
    assertThat(out.ok()).isTrue();
    assertThat(out.body()).isEqualTo("fine");
    assertThat(resolves.get()).isEqualTo(1);
    assertThat(connects.get()).isEqualTo(1);
    assertThat(seenHeaders.peek().get("host")).isEqualTo("receiver.test:" + port);
  }

  @Test
  void deniedDestinationsAreRefusedWithoutAnyConnection() {
    WebhookClient c = client(DestinationPolicy.defaults(), fastWithReceiverPort());
    for (String u : List.of("http://127.0.0.1:" + port + "/ok", "http://10.0.0.1/", "http://169.254.169.254/",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://internal.example/hook",
        "http://mixed.example/hook")) {
      // the dialect refuses literal IPs up front …
      if (!u.contains("example")) {
        assertThat(WebhookUrl.parse(u, java.util.Set.of(80, 443, port), DestinationPolicy.defaults()))
            .as(u).isInstanceOf(WebhookUrl.Refused.class);
      }
      // … and the client re-checks every hop regardless
      WebhookOutcome out = deliver(c, WebhookJob.of(url(u), BODY, "1"));
      assertThat(out.error()).as(u).isEqualTo(WebhookError.DESTINATION_DENIED);
      assertThat(out.errorName()).isEqualTo("destination_denied");
      assertThat(out.status()).isZero();
      assertThat(out.ok()).isFalse();
      assertThat(out.attempts()).as("denied is final").isEqualTo(1);
    }
    assertThat(connects.get()).isZero();
    assertThat(hits).isEmpty();
    assertThat(meters.counter("switchboard.webhooks", "outcome", "failed", "reason", "destination_denied")
        .count()).isEqualTo(7.0);
  }

  @Test
  void redirectToPrivateAddressIsDeniedAfterExactlyOneRequest() {
    WebhookClient c = client(LOOPBACK_ALLOWED, fastWithReceiverPort());
    WebhookOutcome out = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/redirect-private"), BODY,
        "1"));
    assertThat(out.error()).isEqualTo(WebhookError.DESTINATION_DENIED);
    assertThat(out.attempts()).isEqualTo(1);
    assertThat(hits("/redirect-private")).isEqualTo(1);
    assertThat(connects.get()).as("only the receiver was connected").isEqualTo(1);
  }

  @Test
  void followsOnly307And308WithinThreeHops() {
    WebhookClient c = client(LOOPBACK_ALLOWED, fastWithReceiverPort());
    WebhookOutcome followed = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/redirect-ok"), BODY,
        "1"));
    assertThat(followed.ok()).isTrue();
    assertThat(followed.body()).isEqualTo("fine");
    assertThat(hits("/ok")).isEqualTo(1);
    assertThat(seenHeaders).allSatisfy(h -> assertThat(h.get(":method")).isEqualTo("POST"));

    WebhookOutcome found = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/found"), BODY, "1"));
    assertThat(found.status()).isEqualTo(302);
    assertThat(found.ok()).isFalse();
    assertThat(found.body()).isEqualTo("moved");
    assertThat(hits("/ok")).as("302 is final").isEqualTo(1);

    WebhookOutcome loop = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/loop"), BODY, "1"));
    assertThat(loop.error()).isEqualTo(WebhookError.TOO_MANY_REDIRECTS);
    assertThat(loop.attempts()).isEqualTo(1);
    assertThat(hits("/loop")).as("first request + 3 hops").isEqualTo(4);
  }

  @Test
  void bodyIsTruncatedAtMaxBodyBytes() {
    WebhookClient c = client(LOOPBACK_ALLOWED, fastWithReceiverPort());
    WebhookOutcome big = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/big"), BODY, "1"));
    assertThat(big.body()).hasSize(4096).isEqualTo("a".repeat(4096));
    assertThat(big.truncated()).isTrue();

    WebhookOutcome chunked = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/big-chunked"), BODY,
        "1"));
    assertThat(chunked.body()).isEqualTo("b".repeat(4096));
    assertThat(chunked.truncated()).isTrue();

    WebhookOutcome exact = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/exact"), BODY, "1"));
    assertThat(exact.body()).hasSize(4096);
    assertThat(exact.truncated()).isFalse();
  }

  @Test
  void otherStatusesAreFinal() {
    WebhookClient c = client(LOOPBACK_ALLOWED, fastWithReceiverPort());
    WebhookOutcome out = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/teapot"), BODY, "1"));
    assertThat(out.status()).isEqualTo(418);
    assertThat(out.ok()).isFalse();
    assertThat(out.attempts()).isEqualTo(1);
    assertThat(out.error()).isNull();
  }

  @Test
  void attemptTimesOutAndIsRetried() {
    WebhookClient c = client(LOOPBACK_ALLOWED,
        fastWithReceiverPort().withTimeout(Duration.ofMillis(300)).withMaxRetries(1));
    long t0 = System.nanoTime();
    WebhookOutcome out = deliver(c, WebhookJob.of(url("http://127.0.0.1:" + port + "/slow"), BODY, "1"));
    assertThat(out.error()).isEqualTo(WebhookError.TIMEOUT);
    assertThat(out.status()).isZero();
    assertThat(out.attempts()).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void dnsAndConnectFailuresAreRetried() throws IOException {
    WebhookClient c = client(DestinationPolicy.withAllowList(List.of("127.0.0.1/32", "receiver.test")),
        fastWithReceiverPort());
    WebhookOutcome dns = deliver(c, WebhookJob.of(url("http://nowhere.invalid/x"), BODY, "1"));
    assertThat(dns.error()).isEqualTo(WebhookError.DNS_FAILURE);
    assertThat(dns.attempts()).isEqualTo(4);

    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    WebhookOutcome refused = deliver(c, WebhookJob.of(
        WebhookUrl.of("http://127.0.0.1:" + closedPort + "/x", java.util.Set.of(closedPort), null), BODY, "1"));
    assertThat(refused.error()).isEqualTo(WebhookError.CONNECT_FAILED);
    assertThat(refused.attempts()).isEqualTo(4);
  }

  @Test
  void queueFullIsRefused() {
    WebhookClient c = client(LOOPBACK_ALLOWED, fastWithReceiverPort().withWorkers(1, 1));
    Queue<WebhookOutcome> outcomes = new ConcurrentLinkedQueue<>();
    WebhookJob slow = WebhookJob.of(url("http://127.0.0.1:" + port + "/slow"), BODY, "1");
    assertThat(c.offer(slow, outcomes::add)).isTrue();
    assertThat(c.offer(slow, outcomes::add)).isTrue();
    assertThat(c.offer(slow, outcomes::add)).as("queue full → 503").isFalse();
    assertThat(meters.counter("switchboard.webhooks", "outcome", "rejected", "reason", "queue_full").count())
        .isEqualTo(1.0);
    release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.size() == 2);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.ok()).isTrue());
    assertThat(c.inFlight()).isZero();
    assertThat(c.offer(slow, outcomes::add)).isTrue();
  }

  @Test
  void retryDelaysFollowBackoffJitterAndRetryAfter() {
    WebhookClient c0 = WebhookClient.builder().random(() -> 0.0).build();
    WebhookClient c1 = WebhookClient.builder().random(() -> 0.999999).build();
    try {
      assertThat(c0.retryDelayNanos(1, null)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
      assertThat(c0.retryDelayNanos(2, null)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1600));
      assertThat(c0.retryDelayNanos(3, null)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3200));
      assertThat(c1.retryDelayNanos(3, null)).isBetween(TimeUnit.MILLISECONDS.toNanos(4799),
          TimeUnit.MILLISECONDS.toNanos(4800));
      assertThat(c0.retryDelayNanos(1, Duration.ofSeconds(7))).isEqualTo(TimeUnit.SECONDS.toNanos(7));
      assertThat(c0.retryDelayNanos(1, Duration.ofSeconds(11))).as("over 10 s: backoff")
          .isEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
    } finally {
      c0.close();
      c1.close();
    }
    assertThat(WebhookClient.parseRetryAfter("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(WebhookClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(WebhookClient.parseRetryAfter("soon")).isNull();
  }
}
