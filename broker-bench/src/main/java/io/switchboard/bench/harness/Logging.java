package io.switchboard.bench.harness;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quiets logging in the harness and baseline JVMs (the shaded jar has no logback.xml, and Netty's DEBUG lines per
 * handshake would flood the progress output and cost CPU during a run).
 */
public final class Logging {
  private Logging() {}

  public static void quiet() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
