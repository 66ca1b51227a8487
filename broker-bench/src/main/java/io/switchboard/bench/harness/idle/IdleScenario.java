package io.switchboard.bench.harness.idle;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.switchboard.bench.harness.BenchClock;
import io.switchboard.bench.harness.BenchOptions;
import io.switchboard.bench.harness.ClientTransport;
import io.switchboard.bench.harness.LoadStats;
import io.switchboard.bench.harness.Scenario;
import io.switchboard.bench.harness.ServerProcess;
import io.switchboard.bench.harness.Target;
import io.switchboard.bench.harness.TargetResult;
import io.switchboard.bench.harness.devices.DeviceFixture;
import io.switchboard.bench.harness.devices.DeviceHandler;
import io.switchboard.bench.harness.devices.DevicesScenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code idle}: opens {@code --connections} device connections (default 10,000) in steps of {@code --step}
 * (default 1,000), each one device that proves it holds the app secret with one signed event, then stays silent.
 * Before the first and after each step it reads the server's live heap after a full GC and its RSS; the result is
 * bytes per connection at the end (against the empty server) and the slope between the first step and the last
 * (which leaves out fixed costs that the first connections bring, such as buffer pool arenas). Throughput is
 * connections set up per second, latency the time from connect to the broker's timestamp frame.
 */
public final class IdleScenario implements Scenario, Scenario.SelfMeasuring {
  private static final int BATCH = 100;
  private final int connections;
  private final int step;

  public IdleScenario(BenchOptions o) {
    this.connections = o.integer("connections", 10_000);
    this.step = o.integer("step", 1_000);
    if (connections < 1 || step < 1 || step > connections) {
      throw new IllegalArgumentException("idle: --connections >= --step >= 1");
    }
  }

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public Set<Target> targets() {
    return EnumSet.of(Target.SWITCHBOARD, Target.BASELINE);
  }

  @Override
  public String switchboardConfig() {
    return DeviceFixture.switchboardConfig(connections);
  }

  @Override
  public List<String> baselineArgs() {
    return List.of("devices");
  }

  @Override
  public Load open(Target target, int port, ClientTransport transport, LoadStats stats) {
    throw new UnsupportedOperationException("idle measures itself");
  }

  /** The classes whose live bytes grew most from the empty server to {@code n} connections, per connection. */
  private static void printTopClasses(Target target, PrintStream out, Map<String, Long> before,
      Map<String, Long> after, int n) {
    if (after.isEmpty()) {
      return;
    }
    out.printf("[%s] live heap per connection by class (jcmd GC.class_histogram, %d connections against none):%n",
        target.id(), n);
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(15)
        .forEach(e -> out.printf(Locale.ROOT, "[%s]   %8.1f B  %s%n", target.id(), e.getValue() / (double) n,
            e.getKey()));
  }

  @Override
  public TargetResult measure(Target target, ServerProcess server, ClientTransport transport, PrintStream out)
      throws Exception {
    LoadStats stats = new LoadStats();
    List<DeviceHandler> open = new ArrayList<>();
    Histogram connectUs = new Histogram(3);
    try {
      java.util.Map<String, Long> classes0 = ServerMemory.classHistogram(server.pid());
      long heap0 = ServerMemory.heapAfterGc(server.pid());
      long rss0 = ServerMemory.rss(server.pid());
      out.printf(Locale.ROOT, "[%s] %6d connections: heap %8.1f MiB  RSS %8.1f MiB%n", target.id(), 0,
          heap0 / 1048576.0, rss0 / 1048576.0);
      long heapFirst = -1;
      long rssFirst = -1;
      long heap = heap0;
      long rss = rss0;
      long t0 = System.nanoTime();
      String host = "127.0.0.1:" + server.port();
      while (open.size() < connections) {
        int until = Math.min(connections, open.size() + step);
        while (open.size() < until) {
          List<DeviceHandler> batch = new ArrayList<>();
          List<Long> started = new ArrayList<>();
          for (int i = open.size(); i < Math.min(until, open.size() + BATCH); i++) {
            String id = DeviceFixture.deviceId(i);
            DeviceHandler h = new DeviceHandler(id, stats);
            HttpHeaders headers = new DefaultHttpHeaders().set("appkey", DeviceFixture.APP_KEY)
                .set("deviceids", id).set("platform", "ESP32").set("SDKVersion", "4.0.0");
            started.add(BenchClock.now());
            new Bootstrap().group(transport.group()).channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(DevicesScenario.wsInit("ws://" + host + "/devices", headers, h))
                .connect("127.0.0.1", server.port());
            batch.add(h);
          }
          for (int i = 0; i < batch.size(); i++) {
            DeviceHandler h = batch.get(i);
            h.ready().get(60, TimeUnit.SECONDS);
            connectUs.recordValue(Math.max(0, (BenchClock.now() - started.get(i)) / 1000));
            h.channel().eventLoop().execute(() -> {
              h.sendEvent(BenchClock.now()); // authenticated: one correctly signed message
              h.channel().flush();
            });
          }
          open.addAll(batch);
        }
        Thread.sleep(500); // let the signed events settle before measuring
        heap = ServerMemory.heapAfterGc(server.pid());
        rss = ServerMemory.rss(server.pid());
        if (heapFirst < 0) {
          heapFirst = heap;
          rssFirst = rss;
        }
        out.printf(Locale.ROOT, "[%s] %6d connections: heap %8.1f MiB  RSS %8.1f MiB  errors %d%n", target.id(),
            open.size(), heap / 1048576.0, rss / 1048576.0, stats.errorsSoFar());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      int n = open.size();
      printTopClasses(target, out, classes0, ServerMemory.classHistogram(server.pid()), n);
      Map<String, Double> extra = new LinkedHashMap<>();
      extra.put("connections", (double) n);
      extra.put("heap_bytes_per_conn", (double) (heap - heap0) / n);
      extra.put("rss_bytes_per_conn", (double) (rss - rss0) / n);
      if (n > step) {
        extra.put("heap_slope_bytes_per_conn", (double) (heap - heapFirst) / (n - step));
        extra.put("rss_slope_bytes_per_conn", (double) (rss - rssFirst) / (n - step));
      }
      return new TargetResult(target.id(), n / seconds, n / seconds, stats.errorsSoFar(), connectUs, -1, -1, extra);
    } finally {
      open.forEach(DeviceHandler::close);
      for (DeviceHandler h : open) {
        if (h.channel() != null) {
          h.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
      }
    }
  }
}
