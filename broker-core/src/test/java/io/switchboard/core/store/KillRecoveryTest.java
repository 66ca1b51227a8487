package io.switchboard.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real RocksDB, real SIGKILL: a child JVM commits and prints what was acknowledged, is killed mid-stream, and
 * every acknowledged key must be there after reopening, three times over on the same directory.
 *
 * <p>A killed process leaves its page cache to the kernel, so this proves that acknowledged writes are in the
 * write-ahead log and recovered; that they were also fsynced before acknowledgement is what
 * {@link GroupCommitTest} proves.
 */
class KillRecoveryTest {
  private static final Logger log = LoggerFactory.getLogger(KillRecoveryTest.class);
  private static final Pattern ACK = Pattern.compile("ACK (\\d+) \\.");
  private static final int ACKS_BEFORE_KILL = 2000;
  private static final int RUNS = 3;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"BATCH", "SYNC"})
  void acknowledgedWritesSurviveKill9(Durability durability) throws Exception {
    Path dir = tmp.resolve("data");
    List<Set<Long>> ackedPerRun = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      ackedPerRun.add(writeUntilKilled(dir, durability, run));
      try (Store store = Stores.open(StoreConfig.builder().engine(StoreEngine.ROCKSDB).dataDir(dir)
          .durability(durability).build(), Clock.systemUTC(), new SimpleMeterRegistry())) {
        for (int r = 0; r <= run; r++) {
          String name = Integer.toString(r);
          for (long n : ackedPerRun.get(r)) {
            assertThat(store.get(CrashWriterMain.key(name, n)))
                .as("acknowledged key %d of run %d, checked after kill %d", n, r, run)
                .isEqualTo(CrashWriterMain.value(name, n));
          }
        }
      }
    }
  }

  private Set<Long> writeUntilKilled(Path dir, Durability durability, int run) throws Exception {
    Path stderr = tmp.resolve("child-" + run + ".err");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        CrashWriterMain.class.getName(), dir.toString(), durability.name(), Integer.toString(run))
        .redirectError(stderr.toFile())
        .start();
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    Thread reader = new Thread(() -> readAcks(child, acked), "crash-writer-stdout");
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
          .until(() -> acked.size() >= ACKS_BEFORE_KILL || !child.isAlive());
      assertThat(child.isAlive()).as("child died early: %s", Files.readString(stderr)).isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, writes in flight
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
    log.info("{} run {}: killed after {} acknowledged writes", durability, run, acked.size());
    return acked;
  }

  /** Reads to the end: lines already in the pipe when the child died were acknowledged too. */
  private static void readAcks(Process child, Set<Long> acked) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = ACK.matcher(line);
        if (m.matches()) {
          acked.add(Long.parseLong(m.group(1)));
        }
      }
    } catch (IOException e) {
      log.warn("reading the child's output failed", e);
    }
  }
}
