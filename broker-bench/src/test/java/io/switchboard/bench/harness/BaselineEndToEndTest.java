package io.switchboard.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.baseline.BaselineMain;
import io.switchboard.bench.harness.bots.BotsScenario;
import io.switchboard.bench.harness.devices.DevicesScenario;
import io.switchboard.bench.harness.fanout.FanoutScenario;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each scenario's client against its baseline, both in this JVM on loopback: a short open-loop burst must arrive
 * whole (every delivery of every slot, no error), which checks the client, the stamps and the baselines together.
 * No timing is asserted.
 */
class BaselineEndToEndTest {
  private static ClientTransport transport;

  @BeforeAll
  static void loops() {
    transport = new ClientTransport(1);
  }

  @AfterAll
  static void close() {
    transport.close();
  }

  /** Sends at 200/s for 300 ms and waits until every expected delivery of the window arrived. */
  private static LoadStats burst(Scenario scenario, String baseline, Path dataDir, long deliveriesPerSend)
      throws Exception {
    LoadStats stats = new LoadStats();
    try (BaselineMain.Running server = BaselineMain.start(baseline, 0, 1, dataDir);
        Scenario.Load load = scenario.open(Target.BASELINE, server.port(), transport, stats)) {
      long now = BenchClock.now();
      stats.window(now, now + TimeUnit.SECONDS.toNanos(10));
      load.start();
      Thread.sleep(300);
      load.stop(); // takes effect on the senders' loops, a moment later: keep counting sends until all settles
      long sent = 0;
      long settledSince = System.nanoTime();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        Thread.sleep(20);
        LoadStats.Interval iv = stats.interval();
        sent += iv.sent();
        if (iv.sent() > 0 || stats.windowDelivered() != sent * deliveriesPerSend) {
          settledSince = System.nanoTime();
        } else if (System.nanoTime() - settledSince > TimeUnit.MILLISECONDS.toNanos(200)) {
          break;
        }
      }
      assertThat(sent).isPositive();
      assertThat(stats.windowDelivered()).isEqualTo(sent * deliveriesPerSend);
      assertThat(stats.errorsSoFar()).isZero();
    }
    return stats;
  }

  @Test
  void fanout_overWebSocket_everySubscriberGetsEveryBroadcast() throws Exception {
    burst(new FanoutScenario(BenchOptions.parse("fanout", "--subscribers", "3", "--rate", "200",
        "--publish-connections", "2")), "fanout", null, 3);
  }

  @Test
  void fanout_overSse_everySubscriberGetsEveryBroadcast() throws Exception {
    burst(new FanoutScenario(BenchOptions.parse("fanout", "--subscribers", "3", "--streams", "2", "--sse",
        "--rate", "200")), "fanout", null, 3);
  }

  @Test
  void fanout_overWebSocket_twoStreams() throws Exception {
    burst(new FanoutScenario(BenchOptions.parse("fanout", "--subscribers", "3", "--streams", "2",
        "--rate", "200")), "fanout", null, 3);
  }

  @Test
  void fanout_overSse_oneStream() throws Exception {
    burst(new FanoutScenario(BenchOptions.parse("fanout", "--subscribers", "3", "--sse",
        "--rate", "200")), "fanout", null, 3);
  }

  @Test
  void devices_signedEventsReachTheFeed() throws Exception {
    burst(new DevicesScenario(BenchOptions.parse("devices", "--devices", "4", "--rate", "200")), "devices", null, 1);
  }

  @Test
  void devices_callsAreAnsweredByTheDevices() throws Exception {
    burst(new DevicesScenario(BenchOptions.parse("devices", "--mode", "calls", "--devices", "4", "--rate", "200",
        "--publish-connections", "4")), "devices", null, 1);
  }

  @Test
  void bots_everyMessageIsAcknowledgedAfterItsSync(@TempDir Path dir) throws Exception {
    burst(new BotsScenario(BenchOptions.parse("bots", "--bots", "2", "--rate", "200")), "bots", dir, 1);
  }
}
