package io.switchboard.bench.harness;

import java.util.Locale;

/** The servers a scenario can run against; measured one after another by the same client in one run. */
public enum Target {
  SWITCHBOARD,
  BASELINE,
  NATS;

  /** The name used on the command line, in the JSON and in ratios. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a target name as given to {@code --against}. */
  public static Target parse(String s) {
    for (Target t : values()) {
      if (t.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown target: " + s + " (expected: switchboard, baseline, nats)");
  }
}
