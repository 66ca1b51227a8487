package io.switchboard.bench.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * One target's figures over the measured window (warm-up excluded): what the JSON report, the percentile table,
 * the {@code .hgrm} file, the HTML plot and the thresholds are made from. {@code serverCores} and
 * {@code clientCores} are the CPU each process used (cores busy on average; -1 unknown), which tell what bounded
 * the run on a machine the client and the server share. {@code extra} holds a scenario's own metrics (the idle
 * scenario's memory per connection), written to the JSON after the common ones and usable in thresholds.
 */
public record TargetResult(String target, double throughputPerS, double sentPerS, long errors, Histogram latencyUs,
    double serverCores, double clientCores, Map<String, Double> extra) {

  /** A result without scenario-specific metrics. */
  public TargetResult(String target, double throughputPerS, double sentPerS, long errors, Histogram latencyUs,
      double serverCores, double clientCores) {
    this(target, throughputPerS, sentPerS, errors, latencyUs, serverCores, clientCores, Map.of());
  }

  /** A result without CPU figures (tests). */
  public TargetResult(String target, double throughputPerS, double sentPerS, long errors, Histogram latencyUs) {
    this(target, throughputPerS, sentPerS, errors, latencyUs, -1, -1);
  }

  /**
   * One target's runs of {@code --rounds} as one result: throughputs, CPU and scenario metrics averaged, errors
   * summed, latencies merged into one histogram. A single run is returned as it is.
   */
  public static TargetResult combine(List<TargetResult> runs) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    Histogram latency = runs.get(0).latencyUs().copy();
    long errors = runs.get(0).errors();
    for (TargetResult r : runs.subList(1, runs.size())) {
      latency.add(r.latencyUs());
      errors += r.errors();
    }
    Map<String, Double> extra = new LinkedHashMap<>();
    for (String key : runs.get(0).extra().keySet()) {
      if (runs.stream().allMatch(r -> r.extra().containsKey(key))) {
        extra.put(key, runs.stream().mapToDouble(r -> r.extra().get(key)).average().orElseThrow());
      }
    }
    return new TargetResult(runs.get(0).target(), mean(runs, TargetResult::throughputPerS),
        mean(runs, TargetResult::sentPerS), errors, latency, meanCores(runs, TargetResult::serverCores),
        meanCores(runs, TargetResult::clientCores), extra);
  }

  private static double mean(List<TargetResult> runs, ToDoubleFunction<TargetResult> f) {
    return runs.stream().mapToDouble(f).average().orElseThrow();
  }

  /** The mean of the runs that measured CPU, or -1 when none did. */
  private static double meanCores(List<TargetResult> runs,
      ToDoubleFunction<TargetResult> f) {
    return runs.stream().mapToDouble(f).filter(c -> c >= 0).average().orElse(-1);
  }

  public long p50Us() {
    return latencyUs.getValueAtPercentile(50);
  }

  public long p99Us() {
    return latencyUs.getValueAtPercentile(99);
  }

  public long p999Us() {
    return latencyUs.getValueAtPercentile(99.9);
  }

  public long maxUs() {
    return latencyUs.getMaxValue();
  }

  /** A metric by its JSON name, for thresholds; {@code null} when there is no such metric. */
  public Double metric(String name) {
    return switch (name) {
      case "throughput_per_s" -> throughputPerS;
      case "sent_per_s" -> sentPerS;
      case "p50_us" -> (double) p50Us();
      case "p99_us" -> (double) p99Us();
      case "p999_us" -> (double) p999Us();
      case "max_us" -> (double) maxUs();
      case "errors" -> (double) errors;
      case "server_cores" -> serverCores;
      case "client_cores" -> clientCores;
      default -> extra.get(name);
    };
  }
}
