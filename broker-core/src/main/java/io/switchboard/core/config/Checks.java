package io.switchboard.core.config;

import java.time.Duration;
import java.util.Objects;

/** Validation helpers for the config records' compact constructors; every failure names its key. */
public final class Checks {
  private Checks() {}

  public static int port(String key, int value) {
    if (value < 0 || value > 65535) {
      throw new ConfigException(key, value + " (expected: 0..65535, 0 picks a free port)");
    }
    return value;
  }

  public static int positive(String key, int value) {
    if (value <= 0) {
      throw new ConfigException(key, value + " (expected: > 0)");
    }
    return value;
  }

  public static long positive(String key, long value) {
    if (value <= 0) {
      throw new ConfigException(key, value + " (expected: > 0)");
    }
    return value;
  }

  public static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw new ConfigException(key, value + " (expected: >= " + min + ")");
    }
    return value;
  }

  public static long range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(key, value + " (expected: " + min + ".." + max + ")");
    }
    return value;
  }

  public static Duration positive(String key, Duration value) {
    notNull(key, value);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(key, Durations.format(value) + " (expected: > 0)");
    }
    return value;
  }

  public static Duration atLeast(String key, Duration value, Duration min) {
    notNull(key, value);
    if (value.compareTo(min) < 0) {
      throw new ConfigException(key, Durations.format(value) + " (expected: >= " + Durations.format(min) + ")");
    }
    return value;
  }

  public static <T> T notNull(String key, T value) {
    if (value == null) {
      throw new ConfigException(key, "missing (expected: a value)");
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, "empty (expected: a non-empty string)");
    }
    return value;
  }

  public static boolean equalsAny(String value, String... options) {
    for (String o : options) {
      if (Objects.equals(o, value)) {
        return true;
      }
    }
    return false;
  }
}
