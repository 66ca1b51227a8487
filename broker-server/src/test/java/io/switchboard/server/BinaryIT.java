package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged binary as a user runs it: {@code scripts/run} (which execs java on the shaded jar) serving health,
 * metrics and dispatch, then draining on SIGTERM; and {@code java -jar switchboard.jar checkconfig} on a bad file.
 */
class BinaryIT {
  private static final Path JAR = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"));
  private static final Path ROOT = Path.of(System.getProperty("switchboard.root", ".."));
  private static final Pattern STARTED = Pattern.compile("broker started: port (\\d+)");

  private Process process;

  @AfterEach
  void killLeftover() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly(); // only the process this test started, by its handle
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void scriptsRun_servesHealthMetricsAndDispatch_andDrainsOnSigterm(@TempDir Path data) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/run").toString(),
        "--port", "0", "--data-dir", data.toString())
        .directory(data.toFile())
        .redirectErrorStream(true);
    pb.environment().put("SWITCHBOARD_HEAP", "256m");
    process = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> pump(process, lines, port), "binary-output");
    reader.start();

    int p = port.get(60, TimeUnit.SECONDS);
    HttpResponse<String> health = Http.get(p, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = Http.get(p, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("switchboard_").contains("jvm_memory_used_bytes");
    assertThat(Http.get(p, "/no/such/path").body()).isEqualTo("{\"error\":\"not_found\"}");

    RawWebSocket hs = RawWebSocket.connect("127.0.0.1", p, "/", Map.of());
    assertThat(hs.status()).isEqualTo(400);
    assertThat(hs.body()).isEqualTo("{\"error\":\"unknown_dialect\"}");
    hs.close();
    assertThat(Files.isDirectory(data)).isTrue();

    long t0 = System.nanoTime();
    // SIGTERM to the JVM (scripts/run exec'd it, so this pid is java's). Not Process.destroy(): it also closes our
    // end of the output pipe, and the shutdown log would be lost.
    assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("gone within 10 s").isTrue();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(process.exitValue()).isIn(0, 143);
    reader.join(5_000);
    assertThat(String.join("\n", lines)).contains("broker stopped cleanly").contains("shutdown complete");
    assertThat(millis).isLessThan(10_000);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void checkconfig_whenFileBroken_thenExits1NamingTheKey(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("broken.yaml");
    Files.writeString(bad, "server:\n  port: 80800\n");
    Process p = new ProcessBuilder("java", "-jar", JAR.toString(), "checkconfig", bad.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out).contains("server.port").contains("80800");

    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "store:\n  dataDri: /tmp/x\n");
    Process q = new ProcessBuilder("java", "-jar", JAR.toString(), "checkconfig", typo.toString())
        .redirectErrorStream(true).start();
    String out2 = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(q.exitValue()).isEqualTo(1);
    assertThat(out2).contains("store.dataDri").contains("store.dataDir");

    Process ok = new ProcessBuilder("java", "-jar", JAR.toString(), "checkconfig",
        ROOT.resolve("config/broker.yaml").toString()).redirectErrorStream(true).start();
    ok.getInputStream().readAllBytes();
    assertThat(ok.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ok.exitValue()).isEqualTo(0);
  }

  private static void pump(Process p, List<String> lines, CompletableFuture<Integer> port) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        System.out.println("[binary] " + line);
        Matcher m = STARTED.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IllegalStateException("the binary exited before listening: " + lines));
  }
}
