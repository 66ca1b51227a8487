package io.switchboard.server.bots;

import static io.switchboard.server.bots.BlazeFixture.A;
import static io.switchboard.server.bots.BlazeFixture.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.RawWebSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of accepted messages (bots.md §6) on the real binary: a client sends CREATE_MESSAGE at full speed,
 * the broker is killed with SIGKILL and restarted, five times; afterwards every message whose success reply the
 * client received is pending for the recipient (0 lost), and no message_id is pending twice.
 */
class BotsCrashIT {
  private static final Path JAR = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"));
  private static final Pattern STARTED = Pattern.compile("broker started: port (\\d+)");
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void acknowledgedMessages_surviveFiveKill9s_withoutDuplicates(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("broker.yaml");
    Files.writeString(config, "server:\n  host: 127.0.0.1\n  port: 0\nstore:\n  dataDir: " + dir.resolve("data")
        + "\n  durability: batch\nidentities:\n  bots:\n    - " + A.json() + "\n    - " + B.json() + "\n");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    for (int round = 0; round < 5; round++) {
      Process broker = start(config);
      try {
        int port = awaitPort(broker);
        acknowledged.addAll(sendUntilKilled(port, broker));
      } finally {
        broker.destroyForcibly(); // SIGKILL on Linux; already dead after the kill above
        broker.waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertThat(acknowledged).as("messages acknowledged across the crashes").hasSizeGreaterThanOrEqualTo(250);

    Process broker = start(config);
    try {
      int port = awaitPort(broker);
      List<String> pending = new ArrayList<>();
      try (BlazeFixture.Blaze b = BlazeFixture.Blaze.connect(port, B)) {
        b.send("{\"id\":\"list\",\"action\":\"LIST_PENDING_MESSAGES\"}");
        assertThat(b.next()).contains("LIST_PENDING_MESSAGES");
        b.ws.setReadTimeout(3000);
        try {
          while (true) {
            String push = b.next();
            Matcher m = Pattern.compile("\"message_id\":\"([^\"]+)\"").matcher(push);
            assertThat(m.find()).isTrue();
            pending.add(m.group(1));
          }
        } catch (SocketTimeoutException done) {
          // nothing more within 3 s: the whole pending set was pushed
        }
      }
      Set<String> unique = new HashSet<>(pending);
      assertThat(unique).as("no duplicates by message_id").hasSize(pending.size());
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(unique);
      assertThat(lost).as("acknowledged but lost").isEmpty();
      System.out.println("crash test: " + acknowledged.size() + " acknowledged, " + pending.size() + " pending");
    } finally {
      broker.destroy();
      broker.waitFor(15, TimeUnit.SECONDS);
    }
  }

  private static Process start(Path config) throws Exception {
    return new ProcessBuilder("java", "-Xmx512m", "-jar", JAR.toString(), "run", "--config", config.toString())
        .redirectErrorStream(true).start();
  }

  private static int awaitPort(Process p) throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          Matcher m = STARTED.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (Exception e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IllegalStateException("broker exited before listening"));
    }, "broker-output");
    t.setDaemon(true);
    t.start();
    return port.get(60, TimeUnit.SECONDS);
  }

  /**
   * Sends CREATE_MESSAGE frames as fast as the socket takes them; once at least 50 success replies arrived,
   * SIGKILLs the broker mid-stream. Returns the message_ids whose success reply arrived before the kill.
   */
  private static Set<String> sendUntilKilled(int port, Process broker) throws Exception {
    Map<String, String> messageOfRequest = new ConcurrentHashMap<>();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    RawWebSocket ws = BlazeFixture.Blaze.raw(port, "/", A, "Mixin-Blaze-1");
    assertThat(ws.status()).isEqualTo(101);
    Thread writer = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          String request = UUID.randomUUID().toString();
          String mid = UUID.randomUUID().toString();
          messageOfRequest.put(request, mid);
          String frame = BlazeFixture.createMessage(mid, B.uid(), "m")
              .replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"" + request + "\"");
          ws.sendFrame(RawWebSocket.BINARY, true, BlazeFixture.gzip(frame));
        }
      } catch (Exception e) {
        // the broker died
      }
    }, "crash-writer");
    writer.start();
    // Kill while the client is still sending at full speed, once this round has at least 50 success replies (a
    // loaded CI machine needs longer for that), and after at most 20 s in any case.
    long start = System.nanoTime();
    long minRun = TimeUnit.MILLISECONDS.toNanos(500);
    long maxRun = TimeUnit.SECONDS.toNanos(20);
    try {
      ws.setReadTimeout(200);
      while (System.nanoTime() - start < maxRun && (acked.size() < 50 || System.nanoTime() - start < minRun)) {
        try {
          RawWebSocket.Frame f = ws.readFrame();
          if (f.opcode() != RawWebSocket.BINARY) {
            continue;
          }
          String reply = BlazeFixture.gunzip(f.payload());
          Matcher m = ID.matcher(reply);
          if (!reply.contains("\"error\"") && m.find() && messageOfRequest.containsKey(m.group(1))) {
            acked.add(messageOfRequest.get(m.group(1)));
          }
        } catch (SocketTimeoutException quiet) {
          // keep going until the kill time
        }
      }
    } finally {
      // Whatever arrives after this point is not counted: the kill happens before we read further.
      broker.destroyForcibly();
      broker.waitFor(10, TimeUnit.SECONDS);
      writer.interrupt();
      ws.close();
      writer.join(5000);
    }
    return acked;
  }
}
