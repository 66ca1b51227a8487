package io.switchboard.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the config file's byte sizes: {@code 15000}, {@code 64KiB}, {@code 1MiB}, {@code 2GiB}. */
public final class ByteSizes {
  private static final Pattern FORM = Pattern.compile("^\\s*(\\d+)\\s*(|B|KiB|MiB|GiB)\\s*$");

  private ByteSizes() {}

  public static long parse(String key, String text) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new ConfigException(key, "'" + text + "' is not a size (expected: bytes, or a number with KiB, MiB or GiB;"
          + " for example 15000, 64KiB)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + text + "' is too large");
    }
    long unit = switch (m.group(2)) {
      case "", "B" -> 1L;
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      default -> throw new AssertionError(m.group(2));
    };
    try {
      return Math.multiplyExact(n, unit);
    } catch (ArithmeticException e) {
      throw new ConfigException(key, "'" + text + "' is too large");
    }
  }

  public static String format(long bytes) {
    if (bytes != 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes != 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes != 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return Long.toString(bytes);
  }
}
