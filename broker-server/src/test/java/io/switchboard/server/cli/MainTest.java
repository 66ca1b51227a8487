package io.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.config.ConfigKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private static final Path BROKER_YAML = Path.of("../config/broker.yaml");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return Main.execute(args, env, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void checkconfigAcceptsTheDefaultFile() {
    assertThat(run(Map.of(), "checkconfig", BROKER_YAML.toString())).isZero();
    assertThat(out.toString()).isEqualTo("ok: " + BROKER_YAML + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkconfigRejectsABrokenFileNamingTheKey(@TempDir Path dir) throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "store:\n  durability: fast\n");
    assertThat(run(Map.of(), "checkconfig", bad.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("switchboard: config error: store.durability: 'fast'");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkconfigAppliesTheEnvironmentAndShowsWarnings() {
    assertThat(run(Map.of("SWITCHBOARD_SERVER_PORT", "70000"), "checkconfig", BROKER_YAML.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("server.port: 70000");

    err.getBuffer().setLength(0);
    assertThat(run(Map.of("SWITCHBOARD_STORE_DATADIR", "/x"), "checkconfig", BROKER_YAML.toString())).isZero();
    assertThat(err.toString()).contains("switchboard: warning: SWITCHBOARD_STORE_DATADIR is not a config variable")
        .contains("did you mean SWITCHBOARD_STORE_DATA_DIR?");
  }

  @Test
  void checkconfigNamesAMissingFile() {
    assertThat(run(Map.of(), "checkconfig", "no/such.yaml")).isEqualTo(1);
    assertThat(err.toString()).contains("no/such.yaml: no such file");
  }

  @Test
  void genconfigPrintsConfigBrokerYaml() throws IOException {
    assertThat(run(Map.of(), "genconfig")).isZero();
    assertThat(out.toString()).isEqualTo(Files.readString(BROKER_YAML));
  }

  @Test
  void genconfigKeysListsEveryKeyWithItsVariable() {
    assertThat(run(Map.of(), "genconfig", "--keys")).isZero();
    assertThat(out.toString().lines()).hasSize(ConfigKeys.all().size());
    assertThat(out.toString()).contains("SWITCHBOARD_STORE_DATA_DIR").contains("server.limits.maxFramePayloadBytes");
  }

  @Test
  void runWithABadConfigPrintsTheErrorAndExits1(@TempDir Path dir) throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "server:\n  prot: 1\n");
    assertThat(run(Map.of(), "run", "--config", bad.toString())).isEqualTo(1);
    assertThat(err.toString().trim())
        .isEqualTo("switchboard: config error: server.prot: unknown key (did you mean server.port?)");
    // A flag is validated like any other value; run is the default command.
    err.getBuffer().setLength(0);
    assertThat(run(Map.of(), "--port", "70000")).isEqualTo(1);
    assertThat(err.toString()).contains("switchboard: config error: server.port: 70000");
  }

  @Test
  void badCommandLinesExit2() {
    assertThat(run(Map.of(), "run", "--bogus")).isEqualTo(2);
    assertThat(run(Map.of(), "checkconfig")).isEqualTo(2);
    assertThat(run(Map.of(), "frobnicate")).isEqualTo(2);
  }

  @Test
  void runIsTheDefaultCommand() {
    assertThat(Main.withDefaultCommand(new String[0])).containsExactly("run");
    assertThat(Main.withDefaultCommand(new String[] {"--port", "1"})).containsExactly("run", "--port", "1");
    assertThat(Main.withDefaultCommand(new String[] {"--help"})).containsExactly("--help");
    assertThat(Main.withDefaultCommand(new String[] {"genconfig"})).containsExactly("genconfig");
    assertThat(run(Map.of(), "--version")).isZero();
    assertThat(out.toString()).startsWith("switchboard ");
  }
}
