package io.switchboard.server.config;

import io.switchboard.core.config.ByteSizes;
import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.Durations;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A kind of config value and how its text (a YAML scalar or an environment variable) becomes a Java value.
 *
 * <p>Types only convert. Ranges and cross-field rules stay in the config records, so that the file and code
 * configuration share one validation path.
 *
 * @param expected what a valid value looks like, for error messages ({@code "an integer"})
 * @param nullable whether an empty YAML value is allowed; it then stands for "none" and the record decides
 * @param verbatim whether the value is used exactly as written (a host, a token, a path). YAML turns unquoted
 *     {@code 0x1F}, {@code 1e3} or {@code yes} into numbers and booleans that print differently, so a verbatim
 *     value must be a YAML string; the reader rejects anything else instead of silently changing a token
 */
public record ValueType<T>(String expected, boolean nullable, boolean verbatim, Parser<T> parser) {

  /** Converts non-null text or throws a {@link ConfigException} naming {@code key}. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String key, String text);
  }

  public static final ValueType<Integer> INT = converted("an integer", ValueType::parseInt);
  public static final ValueType<Boolean> BOOL = converted("true or false", ValueType::parseBool);
  public static final ValueType<String> STRING = verbatim("a string", (k, t) -> t);
  public static final ValueType<Path> PATH = verbatim("a path", ValueType::parsePath);
  public static final ValueType<Duration> DURATION =
      converted("a duration such as 5ms, 8s or 7d", ValueType::parseDuration);
  public static final ValueType<Long> BYTES =
      converted("a size such as 15000 or 64KiB", ValueType::parseBytes);
  public static final ValueType<Integer> INT_BYTES =
      converted("a size such as 15000 or 64KiB, below 2GiB", ValueType::parseIntBytes);
  /** A word compared case-insensitively, kept in lower case ({@code log.format}). */
  public static final ValueType<String> LOWER_CASE =
      converted("a word", (k, t) -> t.trim().toLowerCase(Locale.ROOT));
  /** A word compared case-insensitively, kept in upper case ({@code log.level}). */
  public static final ValueType<String> UPPER_CASE =
      converted("a word", (k, t) -> t.trim().toUpperCase(Locale.ROOT));

  /** A fraction such as {@code 0.2}. */
  public static final ValueType<Double> FRACTION = converted("a number such as 0.2", ValueType::parseDouble);
  /**
   * A list of words: a YAML list, or the same items separated by commas (as environment variables write them).
   * The reader joins a YAML list with commas; an empty value is the empty list.
   */
  public static final ValueType<List<String>> LIST = new ValueType<>("a list such as [a, b] or a,b", true, false,
      (k, t) -> Arrays.stream(t.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());

  /** A value converted from its text; in YAML it may be a number, a boolean or a string. */
  private static <T> ValueType<T> converted(String expected, Parser<T> parser) {
    return new ValueType<>(expected, false, false, parser);
  }

  /** A value used exactly as written, or none when empty: in YAML it must be a string. */
  private static <T> ValueType<T> verbatim(String expected, Parser<T> parser) {
    return new ValueType<>(expected, true, true, parser);
  }

  /** An enum written in lower case in the file ({@code durability: batch}); any case is accepted. */
  public static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
    String options = Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
    return converted("one of " + options, (key, text) -> {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(text.trim())) {
          return e;
        }
      }
      throw new ConfigException(key, "'" + text + "' (expected: one of " + options + ")");
    });
  }

  /**
   * Parses {@code text}; {@code null} (an empty YAML value) is allowed only for nullable types.
   *
   * @param key the dotted key, named in every error
   */
  public T parse(String key, String text) {
    if (text == null) {
      if (this == LIST) {
        return parser.parse(key, "");
      }
      if (nullable) {
        return null;
      }
      throw new ConfigException(key, "no value (expected: " + expected + ")");
    }
    return parser.parse(key, text);
  }

  private static int parseInt(String key, String text) {
    long v;
    try {
      v = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + text + "' is not an integer");
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new ConfigException(key, "'" + text + "' is too large (expected: an integer below 2^31)");
    }
    return (int) v;
  }

  private static double parseDouble(String key, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + text + "' is not a number");
    }
  }

  private static boolean parseBool(String key, String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("true")) {
      return true;
    }
    if (t.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigException(key, "'" + text + "' (expected: true or false)");
  }

  private static Path parsePath(String key, String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "'" + text + "' is not a path (" + e.getReason() + ")");
    }
  }

  private static Duration parseDuration(String key, String text) {
    try {
      return Durations.parse(key, text);
    } catch (ArithmeticException e) { // for example 999999999999999d
      throw new ConfigException(key, "'" + text + "' is too large");
    }
  }

  private static long parseBytes(String key, String text) {
    try {
      return ByteSizes.parse(key, text);
    } catch (ArithmeticException | NumberFormatException e) { // more digits than a long holds
      throw new ConfigException(key, "'" + text + "' is too large");
    }
  }

  private static int parseIntBytes(String key, String text) {
    long v = parseBytes(key, text);
    if (v > Integer.MAX_VALUE) {
      throw new ConfigException(key, "'" + text + "' is too large (expected: below 2GiB)");
    }
    return (int) v;
  }
}
