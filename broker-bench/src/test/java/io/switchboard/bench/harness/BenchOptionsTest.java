package io.switchboard.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void parse_readsValuesFlagsAndRepeatedThresholds() {
    BenchOptions o = BenchOptions.parse("fanout", "--against", "switchboard,nats", "--duration=20s", "--sse",
        "--warmup", "500ms", "--threshold", "p99_us<5000", "--threshold", "errors==0", "--subscribers", "1_000");
    assertThat(o.scenario()).isEqualTo("fanout");
    assertThat(o.targets()).containsExactly(Target.SWITCHBOARD, Target.NATS);
    assertThat(o.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.duration("warmup", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
    assertThat(o.flag("sse")).isTrue();
    assertThat(o.flag("max")).isFalse();
    assertThat(o.integer("subscribers", 1)).isEqualTo(1000);
    assertThat(o.integer("streams", 7)).isEqualTo(7);
    assertThat(o.thresholds()).containsExactly("p99_us<5000", "errors==0");
    assertThat(o.params()).containsKeys("against", "sse").doesNotContainKey("threshold");
  }

  @Test
  void parse_rejectsWhatItDoesNotKnow() {
    assertThatThrownBy(() -> BenchOptions.parse("fanout", "--subscriber", "1")).hasMessageContaining("--subscriber");
    assertThatThrownBy(() -> BenchOptions.parse("fanout", "--rate")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> BenchOptions.parse("--rate", "1")).hasMessageContaining("usage");
    assertThatThrownBy(() -> BenchOptions.parse("fanout", "--against", "kafka").targets())
        .hasMessageContaining("kafka");
    assertThatThrownBy(() -> BenchOptions.parse("fanout", "--duration", "fast").duration("duration", null))
        .hasMessageContaining("duration");
  }
}
