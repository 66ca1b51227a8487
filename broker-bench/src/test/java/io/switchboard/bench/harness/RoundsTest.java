package io.switchboard.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RoundsTest {

  @Test
  void roundsAlternateTheOrderOfTheTargets() {
    List<Target> given = List.of(Target.SWITCHBOARD, Target.BASELINE, Target.NATS);
    assertThat(RoundOrder.of(given, 0)).containsExactly(Target.SWITCHBOARD, Target.BASELINE, Target.NATS);
    assertThat(RoundOrder.of(given, 1)).containsExactly(Target.NATS, Target.BASELINE, Target.SWITCHBOARD);
    assertThat(RoundOrder.of(given, 2)).containsExactly(Target.SWITCHBOARD, Target.BASELINE, Target.NATS);
    assertThat(given).as("not reordered in place").containsExactly(Target.SWITCHBOARD, Target.BASELINE, Target.NATS);
  }

  @Test
  void combine_averagesRatesAndCpu_sumsErrors_mergesLatencies() {
    TargetResult a = new TargetResult("switchboard", 1_000, 10, 1, latencies(100, 1_000), 0.8, 1.0,
        Map.of("heap_bytes_per_conn", 3_000.0));
    TargetResult b = new TargetResult("switchboard", 3_000, 30, 2, latencies(200, 3_000), 1.0, -1,
        Map.of("heap_bytes_per_conn", 4_000.0));
    TargetResult c = TargetResult.combine(List.of(a, b));
    assertThat(c.target()).isEqualTo("switchboard");
    assertThat(c.throughputPerS()).isEqualTo(2_000);
    assertThat(c.sentPerS()).isEqualTo(20);
    assertThat(c.errors()).isEqualTo(3);
    assertThat(c.latencyUs().getTotalCount()).isEqualTo(4_000);
    assertThat(c.latencyUs().getMaxValue()).isEqualTo(200);
    assertThat(c.serverCores()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.clientCores()).as("only the run that measured it").isEqualTo(1.0);
    assertThat(c.metric("heap_bytes_per_conn")).isEqualTo(3_500.0);
    assertThat(a.latencyUs().getTotalCount()).as("inputs untouched").isEqualTo(1_000);
    assertThat(TargetResult.combine(List.of(a))).isSameAs(a);
  }

  private static Histogram latencies(long value, int count) {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(value, count);
    return h;
  }
}
