package io.switchboard.bench.harness;

import io.switchboard.bench.harness.fanout.FanoutScenario;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code scripts/bench SCENARIO [options]}: runs the scenario against each target of {@code --against} in turn with
 * the same client, prints the percentile table and writes the JSON, {@code .hgrm} and HTML reports. Exit codes: 0
 * all good, 1 a target failed to run, 2 bad usage, 3 a {@code --threshold} was violated.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    io.switchboard.bench.harness.Logging.quiet();
    // Interrupted (Ctrl-C, timeout): stop the servers this JVM started, by their pids, not leave them running.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children()
        .forEach(ProcessHandle::destroy), "bench-stop-children"));
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    BenchOptions opts;
    Scenario scenario;
    List<Threshold> thresholds = new ArrayList<>();
    int rounds;
    try {
      opts = BenchOptions.parse(args);
      scenario = scenario(opts);
      for (String t : opts.thresholds()) {
        thresholds.add(Threshold.parse(t));
      }
      rounds = opts.integer("rounds", 1);
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
      }
    } catch (IllegalArgumentException e) {
      out.println("bench: " + e.getMessage());
      return 2;
    }
    // 15 s by default: on 2 cores shared with the client, the broker's JIT needs about 10 s to reach steady state
    // (progress lines: a few hundred publishes/s in the first second), and a shorter warm-up charged that backlog,
    // seconds of latency, to the measured window.
    Duration warmup = opts.duration("warmup", Duration.ofSeconds(15));
    Duration duration = opts.duration("duration", Duration.ofSeconds(20));
    int cores = Runtime.getRuntime().availableProcessors();
    Path workDir = Files.createTempDirectory("switchboard-bench");
    List<TargetResult> results = new ArrayList<>();
    boolean failed = false;
    try (ClientTransport transport = new ClientTransport(opts.integer("client-threads", Math.min(2, cores)))) {
      ServerLauncher launcher = new ServerLauncher(workDir, switchboardJar(opts), benchJar(opts),
          opts.integer("server-threads", 0));
      TargetRunner runner = new TargetRunner(launcher, transport, warmup, duration, out);
      Map<String, String> params = new LinkedHashMap<>(opts.params());
      params.putIfAbsent("against", opts.string("against", "switchboard,baseline"));
      params.put("warmup", warmup.toSeconds() + "s");
      params.put("duration", duration.toSeconds() + "s");
      params.put("client_transport", transport.name());
      params.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
      params.put("cores", Integer.toString(cores));
      if (rounds > 1) {
        params.put("rounds", Integer.toString(rounds));
      }
      List<Target> targets = new ArrayList<>();
      for (Target target : opts.targets()) {
        if (scenario.targets().contains(target)) {
          targets.add(target);
        } else {
          out.printf("[%s] skipped: %s does not support it with these options%n", target.id(), scenario.name());
        }
      }
      Map<Target, List<TargetResult>> runs = new LinkedHashMap<>();
      targets.forEach(t -> runs.put(t, new ArrayList<>()));
      for (int round = 0; round < rounds; round++) {
        for (Target target : RoundOrder.of(targets, round)) {
          try {
            runs.get(target).add(runner.run(target, scenario));
          } catch (Exception e) {
            failed = true;
            out.printf("[%s] failed: %s (logs in %s)%n", target.id(), e, workDir);
          }
        }
      }
      runs.values().stream().filter(r -> !r.isEmpty()).map(TargetResult::combine).forEach(results::add);
      RunReport report = new RunReport(scenario.name(), params, results);
      out.println();
      out.print(Reports.table(report));
      writeReports(opts, report, out);
      int violated = 0;
      for (Threshold t : thresholds) {
        for (String v : t.violations(results, report.ratios())) {
          out.println("threshold violated: " + v);
          violated++;
        }
      }
      deleteData(workDir);
      if (failed) {
        return 1;
      }
      return violated > 0 ? 3 : 0;
    }
  }

  static Scenario scenario(BenchOptions opts) {
    return switch (opts.scenario()) {
      case "fanout" -> new FanoutScenario(opts);
      case "devices" -> new io.switchboard.bench.harness.devices.DevicesScenario(opts);
      case "bots" -> new io.switchboard.bench.harness.bots.BotsScenario(opts);
      case "idle" -> new io.switchboard.bench.harness.idle.IdleScenario(opts);
      default -> throw new IllegalArgumentException("unknown scenario: " + opts.scenario()
          + " (available: fanout, devices, bots, idle)");
    };
  }

  private static void writeReports(BenchOptions opts, RunReport report, PrintStream out) throws IOException {
    String json = opts.string("json", null);
    Path base = Path.of(json != null ? json : opts.string("out", "bench-" + report.scenario() + ".json"))
        .toAbsolutePath();
    Files.createDirectories(base.getParent());
    if (json != null) {
      Files.writeString(base, Reports.json(report), StandardCharsets.UTF_8);
      out.println("json: " + base);
    }
    Reports.writeHgrm(report, base);
    Path html = Reports.sibling(base, ".html");
    Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
    out.println("report: " + html + " (+ " + Reports.sibling(base, "-TARGET.hgrm").getFileName() + ")");
  }

  private static Path switchboardJar(BenchOptions opts) {
    return Path.of(opts.string("switchboard-jar",
        System.getProperty("bench.switchboardJar", "broker-server/target/switchboard.jar"))).toAbsolutePath();
  }

  private static Path benchJar(BenchOptions opts) throws URISyntaxException {
    String given = opts.string("bench-jar", System.getProperty("bench.benchJar"));
    if (given != null) {
      return Path.of(given).toAbsolutePath();
    }
    return Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Removes the servers' data dirs; the logs stay for a post-mortem. */
  private static void deleteData(Path workDir) throws IOException {
    try (Stream<Path> dirs = Files.list(workDir)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("switchboard-data")).toList()) {
        try (Stream<Path> all = Files.walk(d)) {
          for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
