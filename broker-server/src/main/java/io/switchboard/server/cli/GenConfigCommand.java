package io.switchboard.server.cli;

import io.switchboard.server.config.ConfigKey;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.DefaultConfigFile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard genconfig}: prints the documented default configuration (config/broker.yaml). */
@Command(name = "genconfig", mixinStandardHelpOptions = true,
    description = "Prints the documented default config file to stdout: switchboard genconfig > broker.yaml")
final class GenConfigCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--keys", description = "List every key with its environment variable instead.")
  private boolean keys;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (keys) {
      for (ConfigKey<?> k : ConfigKeys.all()) {
        out.printf("%-38s %-52s %s%n", k.path(), k.envName(), k.doc());
      }
    } else {
      out.print(DefaultConfigFile.text());
    }
    out.flush();
    return 0;
  }
}
