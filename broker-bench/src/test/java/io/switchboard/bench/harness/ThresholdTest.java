package io.switchboard.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ThresholdTest {

  private static TargetResult result(String target, double throughput, long latencyUs, long errors) {
    Histogram h = new Histogram(3);
    h.recordValue(latencyUs);
    return new TargetResult(target, throughput, throughput, errors, h);
  }

  private final List<TargetResult> results = List.of(result("switchboard", 900, 4000, 0),
      result("baseline", 1000, 6000, 2));
  private final Map<String, Double> ratios = Map.of("switchboard/baseline", 0.9);

  @Test
  void parse_whenPlainMetric_thenAppliesToEveryResult() {
    Threshold t = Threshold.parse("p99_us<5000");
    assertThat(t.target()).isNull();
    assertThat(t.metric()).isEqualTo("p99_us");
    assertThat(t.op()).isEqualTo("<");
    assertThat(t.value()).isEqualTo(5000);
    assertThat(t.violations(results, ratios)).singleElement().asString().contains("baseline.p99_us");
  }

  @Test
  void parse_whenTargetQualified_thenOnlyThatTarget() {
    assertThat(Threshold.parse("switchboard.p99_us < 5000").violations(results, ratios)).isEmpty();
    assertThat(Threshold.parse("baseline.errors==0").violations(results, ratios)).hasSize(1);
  }

  @Test
  void parse_whenRatio_thenReadsTheRatio() {
    Threshold t = Threshold.parse("ratio.switchboard/baseline>=0.9");
    assertThat(t.target()).isEqualTo("ratio");
    assertThat(t.metric()).isEqualTo("switchboard/baseline");
    assertThat(t.violations(results, ratios)).isEmpty();
    assertThat(Threshold.parse("ratio.switchboard/baseline>0.9").violations(results, ratios)).hasSize(1);
  }

  @Test
  void violations_whenMetricOrTargetMissing_thenViolated() {
    assertThat(Threshold.parse("ratio.switchboard/nats>=1").violations(results, ratios)).singleElement()
        .asString().contains("not measured");
    assertThat(Threshold.parse("nats.p99_us<1").violations(results, ratios)).singleElement().asString()
        .contains("no result for nats");
    assertThat(Threshold.parse("bogus_metric<1").violations(results, ratios)).hasSize(2);
  }

  @Test
  void holds_everyOperator() {
    assertThat(Threshold.parse("errors<=0").holds(0)).isTrue();
    assertThat(Threshold.parse("errors<0").holds(0)).isFalse();
    assertThat(Threshold.parse("errors>=1e3").holds(1000)).isTrue();
    assertThat(Threshold.parse("errors>1.5").holds(1.5)).isFalse();
    assertThat(Threshold.parse("errors!=0").holds(0)).isFalse();
    assertThat(Threshold.parse("errors==0").holds(0)).isTrue();
  }

  @Test
  void parse_whenMalformed_thenNamesTheExpectedForm() {
    assertThatThrownBy(() -> Threshold.parse("p99_us << 5")).hasMessageContaining("expected: METRIC OP NUMBER");
    assertThatThrownBy(() -> Threshold.parse("p99_us<")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Threshold.parse("<5")).isInstanceOf(IllegalArgumentException.class);
  }
}
