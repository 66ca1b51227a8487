package io.switchboard.server.cli;

import io.switchboard.core.config.LogConfig;
import java.io.Console;
import java.lang.reflect.Method;

/**
 * Chooses the binary's log format and level before logback initialises: {@code logback.xml} reads the two system
 * properties set here (with defaults, so the jar also logs sensibly if they are unset). Must run before the first
 * {@code LoggerFactory.getLogger} call; embedders never call it and keep their own logging.
 */
final class LogSetup {
  /** {@code text} or {@code json}: logback.xml includes {@code logback-<value>.xml} of this package. */
  static final String APPENDER_PROPERTY = "switchboard.log.appender";
  /** Level of the {@code io.switchboard} loggers. */
  static final String LEVEL_PROPERTY = "switchboard.log.level";

  private LogSetup() {}

  /** The binary's logback configuration, a class-path resource (not {@code /logback.xml}: embedders log their way). */
  static final String CONFIG_RESOURCE = "io/switchboard/server/cli/logback.xml";

  static void apply(LogConfig log) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", CONFIG_RESOURCE);
    }
    System.setProperty(APPENDER_PROPERTY, json(log.format(), onTerminal()) ? "json" : "text");
    System.setProperty(LEVEL_PROPERTY, log.level());
  }

  /** Whether to log JSON: {@code auto} means text for a person at a terminal, JSON for a log collector. */
  static boolean json(String format, boolean terminal) {
    return switch (format) {
      case "json" -> true;
      case "text" -> false;
      default -> !terminal;
    };
  }

  /**
   * Whether stdout is an interactive terminal. Up to JDK 21 that is {@code System.console() != null}; from JDK 22
   * the console also exists when output is redirected, and {@code Console.isTerminal()} (absent from the Java 17
   * API we compile against) tells.
   */
  static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 17 to 21: a console exists only on a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
