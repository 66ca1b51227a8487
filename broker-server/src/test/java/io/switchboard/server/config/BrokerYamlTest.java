package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/broker.yaml documents every key at its default value, and the jar bundles an identical copy. */
class BrokerYamlTest {
  /** Tests run in broker-server/. */
  static final Path BROKER_YAML = Path.of("../config/broker.yaml");

  @Test
  void listsEveryNonSecretKey() {
    Map<String, String> inFile = YamlConfigFile.read(BROKER_YAML);
    for (ConfigKey<?> k : ConfigKeys.all()) {
      if (!k.secret()) {
        assertThat(inFile).as("config/broker.yaml lists %s", k.path()).containsKey(k.path());
      }
    }
  }

  @Test
  void showsEverySecretCommentedOutAtItsPath(@TempDir Path dir) throws IOException {
    String text = Files.readString(BROKER_YAML);
    for (ConfigKey<?> k : ConfigKeys.all()) {
      if (k.secret()) {
        String name = k.path().substring(k.path().lastIndexOf('.') + 1);
        Pattern commented = Pattern.compile("(?m)^(\\s*)# (" + Pattern.quote(name) + ":)");
        assertThat(commented.matcher(text).find()).as("commented-out %s", k.path()).isTrue();
        // Uncommented, the line must parse as the key at its path.
        Path uncommented = dir.resolve(name + ".yaml");
        Files.writeString(uncommented, commented.matcher(text).replaceAll("$1$2"));
        assertThat(YamlConfigFile.read(uncommented)).containsKey(k.path());
      }
    }
  }

  @Test
  void holdsExactlyTheBuiltInDefaults() {
    assertThat(ConfigLoader.load(BROKER_YAML, Map.of())).isEqualTo(BrokerConfig.defaults());
  }

  @Test
  void theJarBundlesAnIdenticalCopy() throws IOException {
    assertThat(DefaultConfigFile.text())
        .as("broker-server/src/main/resources%s must equal config/broker.yaml", DefaultConfigFile.RESOURCE)
        .isEqualTo(Files.readString(BROKER_YAML));
  }
}
