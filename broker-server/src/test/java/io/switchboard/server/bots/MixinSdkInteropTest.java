package io.switchboard.server.bots;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.auth.jwt.BotKeys;
import io.switchboard.codec.auth.jwt.BotTokenVerifier;
import io.switchboard.codec.auth.jwt.Ed25519PublicKey;
import io.switchboard.codec.auth.jwt.RequestSig;
import io.switchboard.codec.auth.jwt.TokenVerdict;
import io.switchboard.server.bots.MixinKeystores.MixinBot;
import io.switchboard.server.testing.TestBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Mixin bot SDK (npm {@code @mixin.dev/mixin-node-sdk} 7.5.5, installed by scripts/install-test-deps into a
 * cache outside the repo) against the broker: REST sends through {@code MixinApi({keystore, requestConfig:{baseURL}})}
 * and the Blaze loop of {@code BlazeKeystoreClient}, both unmodified. The SDK dials {@code wss://blaze.mixin.one};
 * our shim (src/test/resources/interop/mixin/bot.js) redirects only that address to the broker.
 */
class MixinSdkInteropTest {
  private static final Path NODE_MODULES = Path.of(System.getenv().getOrDefault("SWITCHBOARD_CACHE",
      System.getProperty("user.home") + "/.cache/switchboard"), "npm", "node_modules");
  private static final String SDK = "@mixin.dev/mixin-node-sdk";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<NodeBot> started = new ArrayList<>();

  @AfterEach
  void stopNode() {
    started.forEach(NodeBot::close); // only the processes this test started, by their handles
  }

  /**
   * The must-show: a message sent over REST before the recipient connects reaches its Blaze loop, the SDK's own
   * acknowledgement sticks (and reaches the sender, also on Blaze, as a status update), and after a broker restart
   * on the same store the acknowledged messages never come back.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void restSendBeforeConnect_reachesBlaze_andAcknowledgedMessagesStayGoneAfterRestart(@TempDir Path tmp)
      throws Exception {
    Path script = installedSdkAndScript(tmp);
    MixinBot a = MixinKeystores.newBot();
    MixinBot b = MixinKeystores.newBot();
    Path data = tmp.resolve("data");
    String m1;
    String m2;
    String m3;

    try (TestBroker tb = broker(data, a, b)) {
      // A runs the Blaze loop too (so it sees the status updates of §5.5) and sends over REST.
      NodeBot sender = start(script, tb.port(), a, "receiver", "blaze");
      assertThat(sender.awaitLine("OPEN", 15)).isEqualTo("OPEN Mixin-Blaze-1");
      sender.awaitLine("LISTED", 10);
      // 1. A sends over REST while B has never connected: the message waits in B's pending set.
      m1 = sentId(sender.command("text " + b.uid() + " hello before connect").awaitLine("SENT", 15));

      // 2. B connects with the Blaze loop; the SDK asks LIST_PENDING_MESSAGES and gets m1, then acks it itself.
      NodeBot receiver = start(script, tb.port(), b, "receiver", "blaze");
      assertThat(receiver.awaitLine("OPEN", 15)).isEqualTo("OPEN Mixin-Blaze-1");
      receiver.awaitLine("LISTED", 10);
      JsonNode first = message(receiver.awaitLine("MESSAGE", 10));
      assertThat(first.path("message_id").asText()).isEqualTo(m1);
      assertThat(first.path("category").asText()).isEqualTo("PLAIN_TEXT");
      assertThat(first.path("text").asText()).as("`data`, which the SDK decodes").isEqualTo("hello before connect");
      assertThat(first.path("text_base64").asText()).isEqualTo("hello before connect");
      assertThat(first.path("user_id").asText()).isEqualTo(a.uid());
      assertThat(first.path("session_id").asText()).isEqualTo(a.sessionId());
      assertThat(first.path("conversation_id").asText()).isEqualTo(contactId(a.uid(), b.uid()));
      assertThat(first.path("source").asText()).isEqualTo("LIST_PENDING_MESSAGES");
      assertThat(receiver.awaitLine("ACKED", 10)).isEqualTo("ACKED " + m1);
      assertReceipt(sender.awaitLine("RECEIPT", 10), m1, b);

      // 3. While B is connected, a second message arrives live and is acked the same way.
      m2 = sentId(sender.command("text " + b.uid() + " hello live").awaitLine("SENT", 15));
      JsonNode live = message(receiver.awaitLine("MESSAGE", 10));
      assertThat(live.path("message_id").asText()).isEqualTo(m2);
      assertThat(live.path("text").asText()).isEqualTo("hello live");
      assertThat(live.path("source").asText()).isEqualTo("CREATE_MESSAGE");
      assertThat(receiver.awaitLine("ACKED", 10)).isEqualTo("ACKED " + m2);
      assertReceipt(sender.awaitLine("RECEIPT", 10), m2, b);
      // A's SDK acknowledges the status updates too (syncAck): harmless, and nothing comes back to B for them.
      Thread.sleep(500);
      assertThat(receiver.lines()).filteredOn(l -> l.startsWith("MESSAGE") || l.startsWith("RECEIPT")).hasSize(2);
      assertThat(sender.lines()).filteredOn(l -> l.startsWith("MESSAGE")).isEmpty();
      receiver.assertNoErrors();
      receiver.close();

      // 4. With B gone, a third message is accepted and stays unacknowledged across the restart.
      m3 = sentId(sender.command("text " + b.uid() + " while you were away").awaitLine("SENT", 15));
      sender.assertNoErrors();
      sender.close();
    }

    // 5. Same store, new broker. B reconnects, this time acknowledging over REST (POST /acknowledgements).
    try (TestBroker tb = broker(data, a, b)) {
      NodeBot receiver = start(script, tb.port(), b, "receiver", "rest");
      assertThat(receiver.awaitLine("OPEN", 15)).isEqualTo("OPEN Mixin-Blaze-1");
      receiver.awaitLine("LISTED", 10);
      // Pending pushes come oldest first, so m1 or m2 would precede m3 had their acknowledgements been lost.
      JsonNode after = message(receiver.awaitLine("MESSAGE", 10));
      assertThat(after.path("message_id").asText()).as("the first message after the restart (m1=%s, m2=%s)", m1, m2)
          .isEqualTo(m3);
      assertThat(after.path("text").asText()).isEqualTo("while you were away");
      assertThat(after.path("source").asText()).isEqualTo("LIST_PENDING_MESSAGES");
      assertThat(receiver.awaitLine("ACKED", 10)).isEqualTo("ACKED " + m3);

      // 6. Ask for the whole pending set again: nothing is left, neither the Blaze-acked nor the REST-acked ones.
      receiver.command("list").awaitLine("LISTED", 10);
      Thread.sleep(1500);
      assertThat(receiver.lines()).filteredOn(l -> l.startsWith("MESSAGE")).hasSize(1);
      receiver.assertNoErrors();
      receiver.close();
    }
  }

  /**
   * The keystore this test makes is one the SDK accepts, and the tokens the SDK signs with it (the upgrade's and a
   * REST call's, with {@code sig} over method, URI and body) pass the codec's verifier. Runs against a stand-in that
   * only records requests, so it needs no bots dialect.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sdkTokens_passTheCodecVerifier(@TempDir Path tmp) throws Exception {
    Path script = installedSdkAndScript(tmp);
    MixinBot a = MixinKeystores.newBot();
    MixinBot b = MixinKeystores.newBot();
    BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    standIn.setExecutor(Executors.newCachedThreadPool());
    standIn.createContext("/", ex -> {
      try {
        Recorded r = Recorded.of(ex);
        requests.add(r);
        if (r.method().equals("POST")) {
          reply(ex, 200, "{}"); // what POST /messages answers (bots.md §5.7)
        } else {
          Thread.sleep(1000); // the failure delay: it bounds the SDK's reconnect loop
          reply(ex, 401, "{\"error\":{\"status\":202,\"code\":401,\"description\":\"Unauthorized.\"}}");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        ex.close();
      }
    });
    standIn.start();
    try {
      Map<String, BotKeys> registry = Map.of(a.uid(), keys(a), b.uid(), keys(b));
      Map<String, Boolean> jtis = new ConcurrentHashMap<>();
      BotTokenVerifier verifier = new BotTokenVerifier(Clock.systemUTC(), BotTokenVerifier.DEFAULT_MAX_IAT_SKEW,
          false, registry::get, (uid, jti, exp) -> jtis.putIfAbsent(uid + "/" + jti, true) == null);
      int port = standIn.getAddress().getPort();

      NodeBot sender = start(script, port, a, "sender", null);
      sender.awaitLine("READY", 15);
      String id = sentId(sender.command("text " + b.uid() + " signed body").awaitLine("SENT", 15));
      Recorded rest = requests.poll(10, TimeUnit.SECONDS);
      assertThat(rest).as("the SDK's POST /messages").isNotNull();
      assertThat(rest.method() + " " + rest.uri()).isEqualTo("POST /messages");
      assertThat(rest.body()).contains("\"message_id\":\"" + id + "\"").contains("\"recipient_id\":\"" + b.uid() + "\"")
          .contains("\"conversation_id\":\"" + contactId(a.uid(), b.uid()) + "\"").contains("\"category\":\"PLAIN_TEXT\"")
          .startsWith("[");
      TokenVerdict restVerdict = verifier.verify(rest.bearer(),
          RequestSig.of("POST", rest.uri(), Unpooled.wrappedBuffer(rest.body().getBytes(StandardCharsets.UTF_8))));
      assertThat(restVerdict.accepted()).as("REST token %s: %s", rest.bearer(), restVerdict).isTrue();
      assertThat(restVerdict.token().jti()).isEqualTo(rest.header("X-Request-Id"));
      assertThat(restVerdict.token().scp()).isEqualTo("FULL");
      assertThat(restVerdict.token().exp() - restVerdict.token().iat()).isEqualTo(3600);
      sender.close();

      NodeBot receiver = start(script, port, b, "receiver", "blaze");
      Recorded upgrade = requests.poll(10, TimeUnit.SECONDS);
      assertThat(upgrade).as("the SDK's Blaze upgrade").isNotNull();
      assertThat(upgrade.method() + " " + upgrade.uri()).isEqualTo("GET /");
      assertThat(upgrade.header("Sec-WebSocket-Protocol")).isEqualTo("Mixin-Blaze-1");
      assertThat(upgrade.header("Upgrade")).isEqualToIgnoringCase("websocket");
      TokenVerdict upgradeVerdict = verifier.verify(upgrade.bearer(), RequestSig.UPGRADE);
      assertThat(upgradeVerdict.accepted()).as("upgrade token %s: %s", upgrade.bearer(), upgradeVerdict).isTrue();
      assertThat(upgradeVerdict.uid()).isEqualTo(b.uid());
      assertThat(upgradeVerdict.token().sid()).isEqualTo(b.sessionId());
      assertThat(receiver.awaitLine("ERROR ws", 10)).contains("401");
      receiver.close();
    } finally {
      standIn.stop(0);
    }
  }

  // --- helpers ---

  private static Path installedSdkAndScript(Path tmp) throws IOException {
    Path pkg = NODE_MODULES.resolve(SDK).resolve("package.json");
    assertThat(pkg).as("npm %s 7.5.5 is installed by scripts/test (scripts/install-test-deps)", SDK).exists();
    assertThat(Files.readString(pkg)).contains("\"version\": \"7.5.5\"");
    Path script = tmp.resolve("bot.js");
    try (InputStream in = MixinSdkInteropTest.class.getResourceAsStream("/interop/mixin/bot.js")) {
      Files.write(script, in.readAllBytes());
    }
    return script;
  }

  private static TestBroker broker(Path data, MixinBot a, MixinBot b) {
    return TestBroker.builder().rocksDb(data)
        .config(c -> c.declare("bots", List.of(a.recordJson(), b.recordJson()))).start();
  }

  private NodeBot start(Path script, int port, MixinBot bot, String mode, String ack) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
    pb.environment().put("SWITCHBOARD_NODE_MODULES", NODE_MODULES.toString());
    pb.environment().put("BROKER_HTTP", "http://127.0.0.1:" + port);
    pb.environment().put("BROKER_WS", "ws://127.0.0.1:" + port);
    pb.environment().put("KEYSTORE", bot.keystoreJson());
    pb.environment().put("MODE", mode);
    if (ack != null) {
      pb.environment().put("ACK", ack);
    }
    NodeBot n = new NodeBot(mode + "-" + bot.uid().substring(0, 8), pb.start());
    started.add(n);
    return n;
  }

  private static BotKeys keys(MixinBot bot) {
    return new BotKeys(bot.sessionId(), Ed25519PublicKey.parse(bot.publicKeyHex()), null);
  }

  /** A status update (bots.md §5.5) as the SDK's onAckReceipt got it: B read {@code messageId}. */
  private static void assertReceipt(String line, String messageId, MixinBot reader) throws IOException {
    JsonNode r = JSON.readTree(line.substring("RECEIPT ".length()));
    assertThat(r.path("message_id").asText()).isEqualTo(messageId);
    assertThat(r.path("status").asText()).isEqualTo("READ");
    assertThat(r.path("user_id").asText()).isEqualTo(reader.uid());
    assertThat(r.path("source").asText()).isEqualTo("ACKNOWLEDGE_MESSAGE_RECEIPT");
  }

  private static String sentId(String line) {
    assertThat(line).matches("SENT [0-9a-f-]{36}");
    return line.substring(5);
  }

  private static JsonNode message(String line) throws IOException {
    return JSON.readTree(line.substring("MESSAGE ".length()));
  }

  /** The CONTACT conversation id of two uids (bots.md §5.8), as the SDK's uniqueConversationID computes it. */
  private static String contactId(String x, String y) throws Exception {
    String min = x.compareTo(y) <= 0 ? x : y;
    String max = min.equals(x) ? y : x;
    byte[] sum = java.security.MessageDigest.getInstance("MD5").digest((min + max).getBytes(StandardCharsets.UTF_8));
    sum[6] = (byte) ((sum[6] & 0x0f) | 0x30);
    sum[8] = (byte) ((sum[8] & 0x3f) | 0x80);
    String h = java.util.HexFormat.of().formatHex(sum);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
        + h.substring(20);
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** A request the stand-in saw. */
  private record Recorded(String method, String uri, Map<String, List<String>> headers, String body) {
    static Recorded of(HttpExchange ex) throws IOException {
      return new Recorded(ex.getRequestMethod(), ex.getRequestURI().getRawPath()
          + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()),
          Map.copyOf(ex.getRequestHeaders()), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
    }

    String bearer() {
      String h = header("Authorization");
      assertThat(h).as("Authorization header").startsWith("Bearer ");
      return h.substring("Bearer ".length());
    }
  }

  /** One node process running bot.js: its output lines, read by a pump thread, and its stdin. */
  private static final class NodeBot implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final List<String> all = new CopyOnWriteArrayList<>();
    private final List<String> unconsumed = new java.util.ArrayList<>();

    NodeBot(String name, Process process) {
      this.name = name;
      this.process = process;
      Thread reader = new Thread(this::pump, "node-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    NodeBot command(String line) throws IOException {
      OutputStream stdin = process.getOutputStream();
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      return this;
    }

    /** The next line starting with {@code prefix}, skipping others; fails with all it printed meanwhile. */
    /**
     * The first not yet consumed line starting with {@code prefix}. Lines of other kinds stay for later awaits: the
     * SDK's output interleaves (a receipt may be printed before the REST call that caused it resolves).
     */
    String awaitLine(String prefix, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      StringBuilder seen = new StringBuilder();
      while (true) {
        for (java.util.Iterator<String> it = unconsumed.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.startsWith(prefix)) {
            it.remove();
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : out.poll(left, TimeUnit.NANOSECONDS);
        if (line == null) {
          break;
        }
        seen.append(line).append('\n');
        unconsumed.add(line);
      }
      throw new AssertionError("no '" + prefix + "' line from the SDK (" + name + ") within " + seconds
          + " s; it printed meanwhile:\n" + seen + (process.isAlive() ? "" : "(exited " + process.exitValue() + ")"));
    }

    List<String> lines() {
      return Collections.unmodifiableList(all);
    }

    void assertNoErrors() {
      assertThat(all).as("%s printed errors; all its output:\n%s", name, String.join("\n", all))
          .noneMatch(l -> l.startsWith("ERROR") || l.startsWith("REPLY_ERROR"));
    }

    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      try {
        command("exit");
        if (process.waitFor(3, TimeUnit.SECONDS)) {
          return;
        }
      } catch (IOException | InterruptedException e) {
        // fall through to the forced stop
      }
      process.destroyForcibly(); // the process this test started, by its handle
    }

    private void pump() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("[sdk " + name + "] " + line);
          all.add(line);
          out.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }
  }
}
