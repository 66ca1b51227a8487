package io.switchboard.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the config file's durations: {@code 500us}, {@code 5ms}, {@code 8s}, {@code 2m}, {@code 1h}, {@code 7d}. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("^\\s*(\\d+)\\s*(us|ms|s|m|h|d)\\s*$");

  private Durations() {}

  /**
   * Parses {@code text} or throws a {@link ConfigException} naming {@code key}.
   *
   * @param key the dotted key, used in the error message
   */
  public static Duration parse(String key, String text) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new ConfigException(key, "'" + text + "' is not a duration (expected: a number and a unit, "
          + "one of us, ms, s, m, h, d; for example 5ms, 8s, 7d)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + text + "' is too large");
    }
    try {
      return switch (m.group(2)) {
      case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> throw new AssertionError(m.group(2));
      };
    } catch (ArithmeticException e) {
      throw new ConfigException(key, "'" + text + "' is too large");
    }
  }

  /** Prints a duration in the largest unit that represents it exactly, the inverse of {@link #parse}. */
  public static String format(Duration d) {
    long nanos;
    try {
      nanos = d.toNanos();
    } catch (ArithmeticException e) {
      return d.toDays() + "d";
    }
    if (nanos == 0) {
      return "0ms";
    }
    long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    String[] units = {"d", "h", "m", "s", "ms", "us"};
    for (int i = 0; i < sizes.length; i++) {
      if (nanos % sizes[i] == 0) {
        return (nanos / sizes[i]) + units[i];
      }
    }
    return nanos + "ns";
  }
}
