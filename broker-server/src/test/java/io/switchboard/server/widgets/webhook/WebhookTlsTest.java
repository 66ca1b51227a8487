package io.switchboard.server.widgets.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https over the pinned address: SNI and certificate verification use the URL's host name. */
class WebhookTlsTest {

  private static final char[] PASS = "changeit".toCharArray();
  @TempDir
  static Path dir;
  private static HttpsServer server;
  private static ExecutorService serverThreads;
  private static SSLContext clientTls;
  private static int port;
  private static final Queue<String> sniSeen = new ConcurrentLinkedQueue<>();
  private static final Queue<String> hostHeaders = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    Path ks = dir.resolve("receiver.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "receiver",
        "-dname", "CN=receiver.test", "-ext", "SAN=dns:receiver.test", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASS);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters sp = getSSLContext().getDefaultSSLParameters();
        sp.setSNIMatchers(List.of(new SNIMatcher(0) {
          @Override
          public boolean matches(SNIServerName name) {
            sniSeen.add(((SNIHostName) name).getAsciiName());
            return true;
          }
        }));
        params.setSSLParameters(sp);
      }
    });
    serverThreads = Executors.newCachedThreadPool();
    server.setExecutor(serverThreads);
    server.createContext("/ok", ex -> {
      hostHeaders.add(ex.getRequestHeaders().getFirst("Host"));
      ex.getRequestBody().readAllBytes();
      byte[] b = "secure".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private static WebhookOutcome deliver(String host, AtomicInteger connects) {
    HostResolver loopback = name -> {
      if (name.equals("receiver.test") || name.equals("other.test")) {
        return new InetAddress[] {InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1})};
      }
      throw new UnknownHostException(name);
    };
    try (WebhookClient c = WebhookClient.builder()
        .policy(DestinationPolicy.withAllowList(List.of("127.0.0.1/32")))
        .settings(WebhookSettings.defaults().withAllowedPorts(Set.of(443, port)).withDelayScale(0.001))
        .resolver(loopback)
        .connector((address, timeout) -> {
          connects.incrementAndGet();
          return Connector.direct().connect(address, timeout);
        })
        .sslSocketFactory(clientTls.getSocketFactory())
        .build()) {
      CompletableFuture<WebhookOutcome> f = new CompletableFuture<>();
      WebhookUrl url = WebhookUrl.of("https://" + host + ":" + port + "/ok", Set.of(port), null);
      assertThat(c.offer(WebhookJob.of(url, "{}".getBytes(StandardCharsets.UTF_8), "1"), f::complete)).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(f::isDone);
      return f.join();
    }
  }

  @Test
  void httpsToPinnedAddressUsesHostNameForSniAndVerification() {
    WebhookOutcome out = deliver("receiver.test", new AtomicInteger());
    assertThat(out.ok()).isTrue();
    assertThat(out.body()).isEqualTo("secure");
    assertThat(sniSeen).contains("receiver.test");
    assertThat(hostHeaders).contains("receiver.test:" + port);
  }

  @Test
  void certificateNotMatchingHostNameIsTlsFailureAndFinal() {
    AtomicInteger connects = new AtomicInteger();
    WebhookOutcome out = deliver("other.test", connects);
    assertThat(out.error()).isEqualTo(WebhookError.TLS_FAILURE);
    assertThat(out.attempts()).isEqualTo(1);
    assertThat(connects.get()).isEqualTo(1);
  }
}
