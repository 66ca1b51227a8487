package io.switchboard.core.config;

/**
 * Logging of the binary (embedders keep their own logging).
 *
 * @param format {@code auto} (text on a terminal, JSON otherwise), {@code text} or {@code json}
 * @param level root level of the {@code io.switchboard} loggers: TRACE, DEBUG, INFO, WARN or ERROR
 */
public record LogConfig(String format, String level) {
  public LogConfig {
    if (!Checks.equalsAny(format, "auto", "text", "json")) {
      throw new ConfigException("log.format", "'" + format + "' (expected: auto, text or json)");
    }
    if (!Checks.equalsAny(level, "TRACE", "DEBUG", "INFO", "WARN", "ERROR")) {
      throw new ConfigException("log.level", "'" + level + "' (expected: TRACE, DEBUG, INFO, WARN or ERROR)");
    }
  }

  public static LogConfig defaults() {
    return new LogConfig("auto", "INFO");
  }
}
