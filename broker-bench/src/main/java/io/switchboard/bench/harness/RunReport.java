package io.switchboard.bench.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run: the scenario, its effective parameters, one result per target in run order, and the throughput
 * ratios of switchboard against each other target measured in the same run (the figures that count on a shared
 * machine, where absolute numbers move with its load).
 */
public record RunReport(String scenario, Map<String, String> params, List<TargetResult> results) {

  /** {@code "switchboard/baseline"} and {@code "switchboard/nats"}, for the targets present. */
  public Map<String, Double> ratios() {
    Map<String, Double> out = new LinkedHashMap<>();
    TargetResult sb = result(Target.SWITCHBOARD.id());
    if (sb == null) {
      return out;
    }
    for (TargetResult r : results) {
      if (!r.target().equals(sb.target()) && r.throughputPerS() > 0) {
        out.put(sb.target() + "/" + r.target(), sb.throughputPerS() / r.throughputPerS());
      }
    }
    return out;
  }

  public TargetResult result(String target) {
    for (TargetResult r : results) {
      if (r.target().equals(target)) {
        return r;
      }
    }
    return null;
  }
}
