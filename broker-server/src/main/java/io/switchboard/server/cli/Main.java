package io.switchboard.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code switchboard} binary: {@code run} (the default), {@code checkconfig FILE} and {@code genconfig}.
 *
 * <p>Only {@link #main} exits the JVM; {@link #execute} returns the exit code, so that tests run commands in-process.
 * Exit codes: 0 success, 1 bad configuration or failed start, 2 bad command line.
 */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Netty WebSocket message broker. Without a command, runs the broker (see: switchboard run --help).")
public final class Main implements Runnable {
  private static final Set<String> ROOT_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  public static void main(String[] args) {
    NettyDefaults.apply(); // first: before any Netty class is loaded
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(args, System.getenv(), out, err));
  }

  /**
   * Runs one command line.
   *
   * @param env the environment for {@code SWITCHBOARD_*} overrides
   * @return the exit code
   */
  public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main())
        .addSubcommand(new RunCommand(env))
        .addSubcommand(new CheckConfigCommand(env))
        .addSubcommand(new GenConfigCommand());
    cl.setOut(out);
    cl.setErr(err);
    try {
      return cl.execute(withDefaultCommand(args));
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** {@code switchboard} and {@code switchboard --port 9090} mean {@code switchboard run ...}. */
  static String[] withDefaultCommand(String[] args) {
    if (args.length > 0 && (!args[0].startsWith("-") || ROOT_OPTIONS.contains(args[0]))) {
      return args;
    }
    List<String> withRun = new ArrayList<>(List.of("run"));
    withRun.addAll(Arrays.asList(args));
    return withRun.toArray(String[]::new);
  }

  @Override
  public void run() {
    // Not reached: withDefaultCommand always names a subcommand or a help option.
  }

  /** The version from the jar manifest ({@code Implementation-Version}). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"switchboard " + (v == null ? "(development build)" : v)};
    }
  }
}
