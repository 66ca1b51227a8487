package io.switchboard.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

  static RunReport report() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("subscribers", "100");
    params.put("duration", "20s");
    params.put("sse", "true");
    return new RunReport("fanout", params, List.of(result("switchboard", 90_000, 1000),
        result("baseline", 100_000, 800), result("nats", 60_000, 2000)));
  }

  static TargetResult result(String target, double throughput, long base) {
    Histogram h = new Histogram(3);
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(base + i);
    }
    return new TargetResult(target, throughput, throughput / 100, 0, h);
  }

  @Test
  void json_hasExactlyTheIssueShape() throws Exception {
    JsonNode root = new ObjectMapper().readTree(Reports.json(report()));
    assertThat(root.fieldNames()).toIterable().containsExactly("scenario", "params", "results", "ratios");
    assertThat(root.get("scenario").asText()).isEqualTo("fanout");
    assertThat(root.get("params").get("subscribers").isNumber()).isTrue();
    assertThat(root.get("params").get("duration").asText()).isEqualTo("20s");
    assertThat(root.get("params").get("sse").isBoolean()).isTrue();
    assertThat(root.get("results")).hasSize(3);
    JsonNode sb = root.get("results").get(0);
    assertThat(sb.fieldNames()).toIterable()
        .containsExactly("target", "throughput_per_s", "p50_us", "p99_us", "p999_us", "errors");
    assertThat(sb.get("target").asText()).isEqualTo("switchboard");
    assertThat(sb.get("throughput_per_s").asDouble()).isEqualTo(90_000);
    assertThat(sb.get("p50_us").asLong()).isBetween(1499L, 1501L);
    assertThat(root.get("ratios").fieldNames()).toIterable()
        .containsExactly("switchboard/baseline", "switchboard/nats");
    assertThat(root.get("ratios").get("switchboard/baseline").asDouble()).isEqualTo(0.9);
    assertThat(root.get("ratios").get("switchboard/nats").asDouble()).isEqualTo(1.5);
  }

  @Test
  void json_whenNoSwitchboardResult_thenRatiosEmpty() throws Exception {
    RunReport r = new RunReport("fanout", Map.of(), List.of(result("baseline", 1, 1)));
    assertThat(new ObjectMapper().readTree(Reports.json(r)).get("ratios").size()).isZero();
  }

  @Test
  void hgrm_onePerTarget(@TempDir Path dir) throws Exception {
    Reports.writeHgrm(report(), dir.resolve("out.json"));
    assertThat(Files.readString(dir.resolve("out-switchboard.hgrm"))).contains("Value     Percentile")
        .contains("#[Max     =");
    assertThat(dir.resolve("out-baseline.hgrm")).exists();
    assertThat(dir.resolve("out-nats.hgrm")).exists();
  }

  @Test
  void table_listsTargetsAndRatios() {
    assertThat(Reports.table(report())).contains("switchboard").contains("ratio switchboard/baseline = 0.900");
  }
}
