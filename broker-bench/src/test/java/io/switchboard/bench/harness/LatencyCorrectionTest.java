package io.switchboard.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Coordinated omission: a sender that stalls for 100 ms at 1,000 messages/s must be charged for the 100 messages
 * that should have gone out during the stall, each from its own slot, not from when it finally went out.
 */
class LatencyCorrectionTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void schedule_slotsAreFixedByTheRateNotBySendProgress() {
    OpenLoopSchedule s = new OpenLoopSchedule(1_000, 1000);
    assertThat(s.nextDue(999)).isEqualTo(-1);
    assertThat(s.nextDue(1_000)).isEqualTo(1_000);
    assertThat(s.nextDue(1_000 + MS - 1)).isEqualTo(-1);
    assertThat(s.intendedTime(250)).isEqualTo(1_000 + 250 * MS);
  }

  @Test
  void stall_isChargedToEveryMessageItDelayed() {
    OpenLoopSchedule s = new OpenLoopSchedule(0, 1000);
    LoadStats stats = new LoadStats();
    // 100 ms with the sender stalled: nothing is sent until t = 100 ms, then every due slot goes out at once and
    // arrives instantly.
    long now = 100 * MS;
    long t;
    int n = 0;
    while ((t = s.nextDue(now)) >= 0) {
      stats.deliveredAt(t, now);
      n++;
    }
    assertThat(n).isEqualTo(101);
    Histogram h = stats.interval().latencyUs();
    assertThat(h.getTotalCount()).isEqualTo(101);
    assertThat(h.getMaxValue()).isBetween(99_900L, 100_100L);
    assertThat(h.getValueAtPercentile(50)).isBetween(49_900L, 50_100L);
    assertThat(h.getMinValue()).isZero();
  }

  @Test
  void interval_resetsBetweenCalls() {
    LoadStats stats = new LoadStats();
    stats.sent();
    stats.error();
    stats.deliveredAt(0, 5 * MS);
    LoadStats.Interval first = stats.interval();
    assertThat(first.sent()).isEqualTo(1);
    assertThat(first.errors()).isEqualTo(1);
    assertThat(first.delivered()).isEqualTo(1);
    assertThat(first.latencyUs().getMaxValue()).isBetween(4_990L, 5_010L);
    LoadStats.Interval second = stats.interval();
    assertThat(second.delivered()).isZero();
    assertThat(second.latencyUs().getTotalCount()).isZero();
    assertThat(stats.errorsSoFar()).isEqualTo(1);
  }

  @Test
  void window_countsOnlyMessagesDueInIt_whenEverTheyArrive() {
    LoadStats stats = new LoadStats();
    stats.window(100 * MS, 200 * MS);
    stats.deliveredAt(50 * MS, 150 * MS); // due in the warm-up, drained in the window: not the window's
    stats.deliveredAt(150 * MS, 151 * MS);
    stats.deliveredAt(199 * MS, 260 * MS); // due in the window, late: charged in full
    stats.deliveredAt(200 * MS, 201 * MS); // due after the window
    assertThat(stats.windowDelivered()).isEqualTo(2);
    Histogram h = stats.windowLatency();
    assertThat(h.getTotalCount()).isEqualTo(2);
    assertThat(h.getMaxValue()).isBetween(60_900L, 61_100L);
    assertThat(stats.interval().delivered()).isEqualTo(4);
  }

  @Test
  void threadsRecordingAtOnce_areMergedWhole_inIntervalsAndInTheWindow() throws Exception {
    LoadStats stats = new LoadStats();
    stats.window(0, 1_000 * MS);
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      Future<?>[] writers = new Future<?>[2];
      for (int w = 0; w < 2; w++) {
        long latency = (w + 1) * MS; // 1 ms from one thread, 2 ms from the other
        writers[w] = pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            stats.deliveredAt(i * 1_000L, i * 1_000L + latency); // every slot in the window
          }
          return null;
        });
      }
      start.countDown();
      long seen = 0;
      while (!(writers[0].isDone() && writers[1].isDone())) {
        seen += stats.interval().latencyUs().getTotalCount(); // the reader takes intervals while both write
      }
      for (Future<?> f : writers) {
        f.get(10, TimeUnit.SECONDS);
      }
      seen += stats.interval().latencyUs().getTotalCount();
      assertThat(seen).isEqualTo(2L * perThread);
      assertThat(stats.windowDelivered()).isEqualTo(2L * perThread);
      Histogram window = stats.windowLatency();
      assertThat(window.getTotalCount()).isEqualTo(2L * perThread);
      assertThat(window.getValueAtPercentile(25)).isBetween(990L, 1_010L);
      assertThat(window.getValueAtPercentile(75)).isBetween(1_990L, 2_010L);
    } finally {
      pool.shutdownNow();
    }
  }
}
