package io.switchboard.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts each target as a child process on a free loopback port: switchboard from {@code switchboard.jar} with a
 * temporary data dir and a generated config, the baseline from {@code benchmarks.jar} in its own JVM with the same
 * flags, and Debian's {@code nats-server} (installed with apt-get when missing).
 */
public final class ServerLauncher {
  /** The admin token the generated config gives switchboard (loopback only, throwaway data dir). */
  public static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;
  private final Path switchboardJar;
  private final Path benchJar;
  private final int serverThreads;

  public ServerLauncher(Path workDir, Path switchboardJar, Path benchJar, int serverThreads) {
    this.workDir = workDir;
    this.switchboardJar = switchboardJar;
    this.benchJar = benchJar;
    this.serverThreads = serverThreads;
  }

  public ServerProcess start(Target target, Scenario scenario) throws IOException, InterruptedException {
    int port = FreePort.pick();
    Path log = workDir.resolve(target.id() + ".log");
    return switch (target) {
      case SWITCHBOARD -> startSwitchboard(scenario, port, log);
      case BASELINE -> {
        List<String> cmd = jvm();
        cmd.addAll(List.of("-cp", benchJar.toString(), "io.switchboard.bench.baseline.BaselineMain",
            "--port", Integer.toString(port), "--threads", Integer.toString(serverThreads),
            "--data-dir", Files.createTempDirectory(workDir, "switchboard-data-baseline").toString()));
        cmd.addAll(scenario.baselineArgs());
        yield ServerProcess.start("baseline", cmd, Map.of(), log, port, START_TIMEOUT);
      }
      case NATS -> ServerProcess.start("nats-server",
          List.of(natsServer(), "-a", "127.0.0.1", "-p", Integer.toString(port)), Map.of(), log, port, START_TIMEOUT);
    };
  }

  private ServerProcess startSwitchboard(Scenario scenario, int port, Path log)
      throws IOException, InterruptedException {
    Path data = Files.createTempDirectory(workDir, "switchboard-data");
    Path config = workDir.resolve("switchboard.yaml");
    String yaml = "server:\n  host: 127.0.0.1\n  ioThreads: " + serverThreads + "\n"
        + "  maxConnections: 100000\n  maxConnectionsPerIp: 100000\n"
        + "log:\n  format: text\n  level: warn\n"
        + scenario.switchboardConfig();
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    List<String> cmd = jvm();
    cmd.addAll(List.of("-jar", switchboardJar.toString(), "run", "--port", Integer.toString(port),
        "--data-dir", data.toString(), "--config", config.toString()));
    return ServerProcess.start("switchboard", cmd, Map.of("SWITCHBOARD_ADMIN_TOKEN", ADMIN_TOKEN), log, port,
        START_TIMEOUT);
  }

  /** The java binary running the harness and the production flags of scripts/lib.sh. */
  private static List<String> jvm() {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> flags = new ArrayList<>(List.of(java, "-XX:+ExitOnOutOfMemoryError", "-XX:MaxDirectMemorySize=1g",
        "-Xms256m", "-Xmx2g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50",
        "-Dio.netty.tryReflectionSetAccessible=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"));
    int major = Runtime.version().feature();
    if (major >= 22) {
      flags.add("--enable-native-access=ALL-UNNAMED");
    }
    if (major >= 23) {
      flags.add("--sun-misc-unsafe-memory-access=allow");
    }
    // Extra flags for the server JVMs, e.g. a JFR recording to profile the broker under load.
    String extra = System.getenv("SWITCHBOARD_BENCH_SERVER_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      flags.addAll(List.of(extra.trim().split("\\s+")));
    }
    return flags;
  }

  /** The nats-server binary, installing Debian's package when it is missing (the harness runs as root here). */
  static String natsServer() throws IOException, InterruptedException {
    for (String p : new String[] {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    System.out.println("nats-server missing: apt-get install -y nats-server");
    Process p = new ProcessBuilder("apt-get", "install", "-y", "nats-server").inheritIO().start();
    if (p.waitFor() != 0 || !Files.isExecutable(Path.of("/usr/sbin/nats-server"))) {
      throw new IOException("nats-server is not installed and apt-get install -y nats-server failed");
    }
    return "/usr/sbin/nats-server";
  }
}
