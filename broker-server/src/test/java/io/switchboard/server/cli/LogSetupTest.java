package io.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSetupTest {
  @Test
  void autoIsTextOnATerminalAndJsonOtherwise() {
    assertThat(LogSetup.json("auto", true)).isFalse();
    assertThat(LogSetup.json("auto", false)).isTrue();
    assertThat(LogSetup.json("text", false)).isFalse();
    assertThat(LogSetup.json("json", true)).isTrue();
  }

  @Test
  void testsDoNotRunOnATerminal() {
    assertThat(LogSetup.onTerminal()).isFalse(); // surefire forks without a console
  }

  @Test
  void bothBundledLogFormatsExist() {
    assertThat(LogSetup.class.getResource("logback-text.xml")).isNotNull();
    assertThat(LogSetup.class.getResource("logback-json.xml")).isNotNull();
  }
}
