package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
  @Test
  void everyKeyIsDocumentedCamelCaseAndHasItsOwnVariable() {
    List<ConfigKey<?>> keys = ConfigKeys.all();
    assertThat(keys).isNotEmpty();
    assertThat(keys).allSatisfy(k -> {
      assertThat(k.path()).matches("[a-z]+(\\.[a-z][a-zA-Z0-9]*)+");
      assertThat(k.doc()).isNotBlank();
      assertThat(k.envName()).matches("SWITCHBOARD_[A-Z0-9_]+");
    });
    assertThat(keys.stream().map(ConfigKey::envName)).doesNotHaveDuplicates();
  }

  @Test
  void sectionsAreThePrefixesOfKeys() {
    assertThat(ConfigKeys.isSection("server")).isTrue();
    assertThat(ConfigKeys.isSection("server.limits")).isTrue();
    assertThat(ConfigKeys.isSection("server.tls")).isTrue();
    assertThat(ConfigKeys.isSection("admin")).isTrue();
    assertThat(ConfigKeys.isSection("server.port")).isFalse();
    assertThat(ConfigKeys.isSection("devices.verify")).isTrue();
    assertThat(ConfigKeys.isSection("bots.auth.throttle")).isTrue();
    assertThat(ConfigKeys.isSection("rooms.history")).isTrue();
    assertThat(ConfigKeys.isSection("widgets.webhook")).isTrue();
    assertThat(ConfigKeys.isSection("gadgets")).isFalse();
  }

  @Test
  void secretsAreMarked() {
    assertThat(ConfigKeys.all().stream().filter(ConfigKey::secret).map(ConfigKey::path))
        .containsExactlyInAnyOrder("admin.token", "server.tls.keyPassword");
  }

  @Test
  void requireRejectsUnknownKeys() {
    assertThatThrownBy(() -> ConfigKeys.require("server.portt"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.portt: unknown key (did you mean server.port?)");
  }

  @Test
  void nearestMatchIgnoresCaseAndSeparatorsAndGivesUpOnStrangers() {
    List<String> known = List.of("server.port", "server.host", "store.dataDir");
    assertThat(NearestMatch.find("server.prot", known)).contains("server.port");
    assertThat(NearestMatch.find("Store.Data-Dir", known)).contains("store.dataDir");
    assertThat(NearestMatch.find("log.dataDir", known)).contains("store.dataDir");
    assertThat(NearestMatch.find("bots.greeting", known)).isEmpty();
  }
}
