package io.switchboard.server.cli;

import io.switchboard.core.config.ConfigException;
import io.switchboard.server.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard checkconfig FILE}: validates a file, with the environment's overrides, without starting. */
@Command(name = "checkconfig", mixinStandardHelpOptions = true,
    description = "Validates FILE and the SWITCHBOARD_* environment variables; prints 'ok: FILE' or the error.")
final class CheckConfigCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The YAML config file.")
  private Path file;

  CheckConfigCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      ConfigLoader.load(file, env, Map.of(), w -> err.println("switchboard: warning: " + w));
    } catch (ConfigException e) {
      err.println("switchboard: config error: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println("ok: " + file);
    return 0;
  }
}
