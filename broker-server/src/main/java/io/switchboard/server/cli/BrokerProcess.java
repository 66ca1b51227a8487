package io.switchboard.server.cli;

import io.switchboard.core.Switchboard;
import io.switchboard.core.config.BrokerConfig;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker as a process: built with JVM metrics, started, stopped by a JVM shutdown hook (SIGTERM, SIGINT) that
 * waits for the drain, and awaited by the main thread.
 */
final class BrokerProcess {
  /** Time allowed beyond {@code server.drainTimeout} for the store's final sync and the event loops. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

  private final Logger log = LoggerFactory.getLogger(BrokerProcess.class);
  private final Switchboard broker;
  private final SystemMetrics metrics;

  BrokerProcess(BrokerConfig config) {
    broker = Switchboard.builder().config(config).build(); // the HTTP transport comes from ServiceLoader
    metrics = SystemMetrics.bindTo(broker.meterRegistry());
  }

  Switchboard broker() {
    return broker;
  }

  /** Starts the broker; on failure logs the cause and returns false. */
  boolean start() {
    try {
      broker.start().join();
      return true;
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      log.error("start failed: {}", cause.getMessage() != null ? cause.getMessage() : cause.toString());
      metrics.close();
      return false;
    }
  }

  /** Stops the broker, waiting at most the drain timeout plus a margin, and logs the outcome. */
  void stop() {
    Duration limit = broker.config().server().drainTimeout().plus(STOP_MARGIN);
    try {
      broker.stop().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      log.info("shutdown complete");
    } catch (TimeoutException e) {
      log.warn("shutdown incomplete: broker still stopping after {} ms", limit.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("shutdown interrupted");
    } catch (Exception e) {
      log.warn("shutdown failed", e);
    } finally {
      metrics.close();
    }
  }

  /** Starts, then blocks until a shutdown hook has stopped the broker. Returns the exit code. */
  int runUntilStopped() {
    Thread hook = new Thread(this::stop, "switchboard-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (!start()) {
      removeQuietly(hook);
      return 1;
    }
    broker.whenStopped().join();
    return 0;
  }

  private static void removeQuietly(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook finds the broker stopped
    }
  }
}
