package io.switchboard.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code scripts/bench SCENARIO [options]}, parsed once. Options are kept as given (they are the
 * JSON report's {@code params}) and read through typed accessors with defaults, so a scenario asks only for what it
 * uses and an unknown option is an error rather than silently ignored.
 */
public final class BenchOptions {
  /** Options that take no value. */
  private static final Set<String> FLAGS = Set.of("max", "sse", "help");
  /** Every option some part of the harness reads. */
  private static final Set<String> KNOWN = Set.of("against", "rate", "max", "duration", "warmup", "json", "out",
      "threshold", "client-threads", "publishers", "subscribers", "streams", "size", "sse", "publish-connections",
      "server-threads", "switchboard-jar", "bench-jar", "help", "devices", "connections", "bots", "step", "mode",
      "rounds");

  private final String scenario;
  private final Map<String, String> values;
  private final List<String> thresholds;

  private BenchOptions(String scenario, Map<String, String> values, List<String> thresholds) {
    this.scenario = scenario;
    this.values = values;
    this.thresholds = thresholds;
  }

  /** Parses {@code SCENARIO [--name value | --name=value | --flag]...}; throws with a message naming the problem. */
  public static BenchOptions parse(String... args) {
    if (args.length == 0 || args[0].startsWith("--")) {
      throw new IllegalArgumentException("usage: bench SCENARIO [options] (scenarios: fanout, devices, bots, idle)");
    }
    Map<String, String> values = new LinkedHashMap<>();
    List<String> thresholds = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (FLAGS.contains(name)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown option: --" + name);
      }
      if (name.equals("threshold")) {
        thresholds.add(value);
      } else {
        values.put(name, value);
      }
    }
    return new BenchOptions(args[0], values, thresholds);
  }

  public String scenario() {
    return scenario;
  }

  /** The options as given (minus thresholds and paths), for the report's {@code params}. */
  public Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>(values);
    p.remove("switchboard-jar");
    p.remove("bench-jar");
    p.remove("json");
    p.remove("out");
    return p;
  }

  public List<String> thresholds() {
    return List.copyOf(thresholds);
  }

  public String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  public boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  public int integer(String name, int def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": " + v + " (expected: an integer)");
    }
  }

  public Duration duration(String name, Duration def) {
    String v = values.get(name);
    return v == null ? def : parseDuration(name, v);
  }

  /** The targets of {@code --against}, in order. */
  public List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (String s : string("against", "switchboard,baseline").split(",")) {
      if (!s.isBlank()) {
        out.add(Target.parse(s));
      }
    }
    return out;
  }

  /** {@code 20s}, {@code 500ms}, {@code 2m} or a bare number of seconds. */
  static Duration parseDuration(String name, String v) {
    String s = v.trim();
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": " + v + " (expected: a duration such as 20s or 500ms)");
    }
  }
}
