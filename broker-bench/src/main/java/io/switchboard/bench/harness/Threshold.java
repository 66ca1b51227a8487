package io.switchboard.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --threshold} expression: {@code METRIC OP NUMBER} where METRIC is a result metric
 * ({@code p99_us}, applied to every result), {@code TARGET.METRIC} ({@code nats.p50_us}, one result), or
 * {@code ratio.A/B} (a ratio of throughputs); OP is one of {@code < <= > >= == !=}. A violated threshold (or one
 * whose metric is missing from the run) makes the harness exit non-zero, so CI can gate on a run.
 */
public record Threshold(String text, String target, String metric, String op, double value) {
  private static final Pattern FORM = Pattern.compile(
      "\\s*([A-Za-z0-9_./]+?)\\s*(<=|>=|==|!=|<|>)\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*");

  /** Parses one expression; throws with the expected form when it does not match. */
  public static Threshold parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("--threshold " + text
          + " (expected: METRIC OP NUMBER, e.g. p99_us<5000, nats.p50_us<=800, ratio.switchboard/baseline>=0.9)");
    }
    String lhs = m.group(1);
    String target = null;
    String metric = lhs;
    if (lhs.startsWith("ratio.")) {
      target = "ratio";
      metric = lhs.substring("ratio.".length());
    } else if (lhs.indexOf('.') > 0) {
      target = lhs.substring(0, lhs.indexOf('.'));
      metric = lhs.substring(lhs.indexOf('.') + 1);
    }
    return new Threshold(text.trim(), target, metric, m.group(2), Double.parseDouble(m.group(3)));
  }

  /** The violations of this threshold in a run; empty when it holds. */
  public List<String> violations(List<TargetResult> results, Map<String, Double> ratios) {
    List<String> out = new ArrayList<>();
    if ("ratio".equals(target)) {
      Double v = ratios.get(metric);
      check(out, "ratio." + metric, v);
      return out;
    }
    boolean matched = false;
    for (TargetResult r : results) {
      if (target == null || target.equals(r.target())) {
        matched = true;
        check(out, r.target() + "." + metric, r.metric(metric));
      }
    }
    if (!matched) {
      out.add(text + ": no result for " + target);
    }
    return out;
  }

  private void check(List<String> out, String name, Double actual) {
    if (actual == null) {
      out.add(text + ": " + name + " was not measured");
    } else if (!holds(actual)) {
      out.add(text + ": " + name + " = " + Reports.number(actual));
    }
  }

  /** Whether {@code actual OP value} holds. */
  public boolean holds(double actual) {
    return switch (op) {
      case "<" -> actual < value;
      case "<=" -> actual <= value;
      case ">" -> actual > value;
      case ">=" -> actual >= value;
      case "==" -> actual == value;
      case "!=" -> actual != value;
      default -> throw new IllegalStateException(op);
    };
  }
}
