package io.switchboard.server.cli;

import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.ConfigException;
import io.switchboard.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard run}: loads the config (defaults, file, environment, flags), sets up logging, and runs the
 * broker until the JVM is asked to stop (SIGTERM, SIGINT).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the broker until SIGTERM or SIGINT, then drains connections and stops cleanly.")
final class RunCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec
  private CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config file; without it, built-in defaults and SWITCHBOARD_* variables.")
  private Path config;

  @Option(names = "--port", paramLabel = "N", description = "Overrides server.port (0 picks a free port).")
  private Integer port;

  @Option(names = "--host", paramLabel = "H", description = "Overrides server.host.")
  private String host;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Overrides store.dataDir.")
  private Path dataDir;

  RunCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    List<String> warnings = new ArrayList<>();
    BrokerConfig cfg;
    try {
      cfg = ConfigLoader.load(config, env, flagOverrides(), warnings::add);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("switchboard: config error: " + e.getMessage());
      return 1;
    }
    LogSetup.apply(cfg.log()); // before the first logger is created: logback reads what this sets
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    warnings.forEach(w -> log.warn("config: {}", w));
    log.info("config: {}", config == null ? "built-in defaults (no --config file)" : config.toAbsolutePath());
    log.info("effective config: {}", cfg); // the records' toString redacts secrets
    return new BrokerProcess(cfg).runUntilStopped();
  }

  /** The flags as dotted keys, so they are parsed and validated like every other source. */
  private Map<String, String> flagOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (host != null) {
      m.put("server.host", host);
    }
    if (port != null) {
      m.put("server.port", port.toString());
    }
    if (dataDir != null) {
      m.put("store.dataDir", dataDir.toString());
    }
    return m;
  }
}
