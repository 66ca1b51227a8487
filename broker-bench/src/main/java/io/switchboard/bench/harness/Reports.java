package io.switchboard.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link RunReport} as the JSON file of {@code --json}, one HdrHistogram {@code .hgrm} percentile
 * distribution per target, and the final percentile table on the console. The JSON shape is the bench issue's
 * contract (scripts and CI read it), so it is written by hand, field by field, rather than from a record mapping.
 */
public final class Reports {
  private Reports() {}

  /** A number as JSON and the console print it: integral values without a fraction, others with 3 decimals. */
  public static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "null";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** The JSON of the bench issue: scenario, params, results (one per target), ratios. */
  public static String json(RunReport r) {
    StringBuilder b = new StringBuilder(512);
    b.append("{\"scenario\":").append(str(r.scenario())).append(",\"params\":{");
    String sep = "";
    for (Map.Entry<String, String> e : r.params().entrySet()) {
      b.append(sep).append(str(e.getKey())).append(':').append(value(e.getValue()));
      sep = ",";
    }
    b.append("},\"results\":[");
    sep = "";
    for (TargetResult t : r.results()) {
      b.append(sep).append("{\"target\":").append(str(t.target()))
          .append(",\"throughput_per_s\":").append(number(t.throughputPerS()))
          .append(",\"p50_us\":").append(t.p50Us())
          .append(",\"p99_us\":").append(t.p99Us())
          .append(",\"p999_us\":").append(t.p999Us())
          .append(",\"errors\":").append(t.errors());
      t.extra().forEach((k, v) -> b.append(',').append(str(k)).append(':').append(number(v)));
      b.append('}');
      sep = ",";
    }
    b.append("],\"ratios\":{");
    sep = "";
    for (Map.Entry<String, Double> e : r.ratios().entrySet()) {
      b.append(sep).append(str(e.getKey())).append(':').append(number(e.getValue()));
      sep = ",";
    }
    return b.append("}}\n").toString();
  }

  /** Writes {@code BASE-TARGET.hgrm} per target (values in microseconds) and returns nothing to read back. */
  public static void writeHgrm(RunReport r, Path base) throws IOException {
    for (TargetResult t : r.results()) {
      Path file = sibling(base, "-" + t.target() + ".hgrm");
      try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
        t.latencyUs().outputPercentileDistribution(out, 1.0);
      }
    }
  }

  /** {@code base} with its extension replaced by {@code suffix}. */
  public static Path sibling(Path base, String suffix) {
    String name = base.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return base.resolveSibling(stem + suffix);
  }

  /** The console table printed at the end of a run. */
  public static String table(RunReport r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-12s %14s %12s %10s %10s %10s %10s %10s %8s %7s %7s%n", "target",
        "deliveries/s", "sent/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "errors", "srv cpu",
        "cli cpu"));
    for (TargetResult t : r.results()) {
      b.append(String.format(Locale.ROOT, "%-12s %14.0f %12.0f %10d %10d %10d %10d %10d %8d %7.2f %7.2f%n",
          t.target(), t.throughputPerS(), t.sentPerS(), t.p50Us(), t.latencyUs().getValueAtPercentile(90),
          t.p99Us(), t.p999Us(), t.maxUs(), t.errors(), t.serverCores(), t.clientCores()));
    }
    b.append("(cpu: cores busy on average in the measured window, server process and client process)\n");
    for (TargetResult t : r.results()) {
      t.extra().forEach((k, v) -> b.append(t.target()).append(' ').append(k).append(" = ").append(number(v))
          .append('\n'));
    }
    r.ratios().forEach((k, v) -> b.append(String.format(Locale.ROOT, "ratio %s = %.3f%n", k, v)));
    return b.toString();
  }

  static String str(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** A parameter value: a JSON number or boolean when it reads as one, a string otherwise. */
  private static String value(String v) {
    if (v.equals("true") || v.equals("false") || v.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?")) {
      return v;
    }
    return str(v);
  }
}
