package io.switchboard.bench.harness;

import java.util.List;
import java.util.Set;

/**
 * One workload of {@code scripts/bench}: what the servers need to serve it, and how the client drives it. The
 * runner owns the servers, the clock and the reporting; a scenario only connects and sends.
 */
public interface Scenario {
  String name();

  /** The targets this scenario can drive. */
  Set<Target> targets();

  /** YAML appended to the generated switchboard config: dialect sections and identities. */
  String switchboardConfig();

  /** Arguments of {@link io.switchboard.bench.baseline.BaselineMain} after {@code --port P}. */
  List<String> baselineArgs();

  /** Connects the load to a listening target; returns it ready to {@link Load#start()}. */
  Load open(Target target, int port, ClientTransport transport, LoadStats stats) throws Exception;

  /**
   * A scenario that measures something other than a timed window of sends (the idle scenario's memory per
   * connection): the runner starts the server and hands it over.
   */
  interface SelfMeasuring {
    TargetResult measure(Target target, ServerProcess server, ClientTransport transport,
        java.io.PrintStream out) throws Exception;
  }

  /** A connected load: sends from {@link #start()} until {@link #stop()}, then releases everything on close. */
  interface Load extends AutoCloseable {
    void start();

    void stop();

    @Override
    void close();
  }
}
