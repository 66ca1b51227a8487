package io.switchboard.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs one scenario against one target: starts the server, connects the load, sends through the warm-up and the
 * measured window with one progress line per second, waits for the window's last deliveries, then stops the load
 * and the server. The result holds the messages due in the measured window (see {@link LoadStats}); the progress
 * lines show everything that arrived each second; errors count from the start of sending.
 */
public final class TargetRunner {
  private final ServerLauncher launcher;
  private final ClientTransport transport;
  private final Duration warmup;
  private final Duration duration;
  private final PrintStream out;
  /** Longest wait for the window's last deliveries after sending stops. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);

  public TargetRunner(ServerLauncher launcher, ClientTransport transport, Duration warmup, Duration duration,
      PrintStream out) {
    this.launcher = launcher;
    this.transport = transport;
    this.warmup = warmup;
    this.duration = duration;
    this.out = out;
  }

  public TargetResult run(Target target, Scenario scenario) throws Exception {
    LoadStats stats = new LoadStats();
    try (ServerProcess server = launcher.start(target, scenario)) {
      out.printf("[%s] started %s%n", target.id(), server);
      if (scenario instanceof Scenario.SelfMeasuring self) {
        return self.measure(target, server, transport, out);
      }
      try (Scenario.Load load = scenario.open(target, server.port(), transport, stats)) {
        out.printf("[%s] connected; sending for %ds warm-up + %ds%n", target.id(), warmup.toSeconds(),
            duration.toSeconds());
        return measure(target, server, load, stats);
      }
    }
  }

  private TargetResult measure(Target target, ServerProcess server, Scenario.Load load, LoadStats stats)
      throws InterruptedException, IOException {
    long warmSeconds = warmup.toSeconds();
    long runSeconds = Math.max(1, duration.toSeconds());
    long setupErrors = stats.errorsSoFar();
    stats.interval();
    long sent = 0;
    long t0 = System.nanoTime();
    long clock0 = BenchClock.now();
    stats.window(clock0 + TimeUnit.SECONDS.toNanos(warmSeconds),
        clock0 + TimeUnit.SECONDS.toNanos(warmSeconds + runSeconds));
    double serverCpu0 = ProcessCpu.seconds(server.pid());
    double clientCpu0 = ProcessCpu.seconds(ProcessHandle.current().pid());
    load.start();
    for (long s = 1; s <= warmSeconds + runSeconds; s++) {
      long wait = t0 + TimeUnit.SECONDS.toNanos(s) - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      LoadStats.Interval iv = stats.interval();
      boolean measuring = s > warmSeconds;
      if (s == warmSeconds) {
        serverCpu0 = ProcessCpu.seconds(server.pid());
        clientCpu0 = ProcessCpu.seconds(ProcessHandle.current().pid());
      }
      if (measuring) {
        sent += iv.sent();
      }
      Histogram h = iv.latencyUs();
      out.printf(Locale.ROOT, "[%s] %3ds %-7s sent %8d/s  delivered %9d/s  p50 %7d us  p99 %8d us  max %8d us"
              + "  errors %d%n", target.id(), s, measuring ? "run" : "warm-up", iv.sent(), iv.delivered(),
          h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), iv.errors());
      if (!server.isAlive()) {
        throw new IOException(server + " exited during the run");
      }
    }
    double elapsed = (System.nanoTime() - t0) / 1e9 - warmSeconds;
    double serverCores = (ProcessCpu.seconds(server.pid()) - serverCpu0) / elapsed;
    double clientCores = (ProcessCpu.seconds(ProcessHandle.current().pid()) - clientCpu0) / elapsed;
    load.stop();
    long late = drain(stats);
    if (late > 0) {
      out.printf("[%s] %d deliveries of the window arrived after it ended (counted, with their latency)%n",
          target.id(), late);
    }
    long errors = stats.errorsSoFar() - setupErrors;
    return new TargetResult(target.id(), stats.windowDelivered() / (double) runSeconds, sent / elapsed, errors,
        stats.windowLatency(), serverCores, clientCores);
  }

  /**
   * Waits for the window's messages still in flight: until no delivery of the window arrives for 300 ms, at most
   * {@link #DRAIN_LIMIT}. Returns how many arrived during the wait.
   */
  private static long drain(LoadStats stats) throws InterruptedException {
    long before = stats.windowDelivered();
    long last = before;
    long quietSince = System.nanoTime();
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(50);
      long now = stats.windowDelivered();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(300)) {
        break;
      }
    }
    return last - before;
  }
}
