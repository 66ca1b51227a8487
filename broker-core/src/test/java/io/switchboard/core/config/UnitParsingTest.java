package io.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations ({@code 8s}, {@code 5ms}, {@code 7d}) and sizes ({@code 64KiB}) as config values. */
class UnitParsingTest {

  @Test
  void durations_parseEveryUnit_andPrintBack() {
    assertThat(Durations.parse("k", "8s")).isEqualTo(Duration.ofSeconds(8));
    assertThat(Durations.parse("k", "5ms")).isEqualTo(Duration.ofMillis(5));
    assertThat(Durations.parse("k", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("k", "250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
  }

  @Test
  void durations_whenMalformedOrHuge_thenConfigExceptionNamingTheKey() {
    assertThatThrownBy(() -> Durations.parse("store.batchInterval", "5 parsecs"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("store.batchInterval");
    assertThatThrownBy(() -> Durations.parse("a.b", "99999999999999999999999s"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("a.b").hasMessageContaining("too large");
    assertThatThrownBy(() -> Durations.parse("a.b", "9223372036854775807d"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("too large");
    assertThatThrownBy(() -> Durations.parse("a.b", "9223372036854775807us"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("too large");
  }

  @Test
  void sizes_parseUnits_andRejectOverflow() {
    assertThat(ByteSizes.parse("k", "64KiB")).isEqualTo(65536);
    assertThat(ByteSizes.parse("k", "15000")).isEqualTo(15000);
    assertThatThrownBy(() -> ByteSizes.parse("server.x", "9223372036854775807GiB"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.x").hasMessageContaining("too large");
    assertThatThrownBy(() -> ByteSizes.parse("server.x", "99999999999999999999999"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("too large");
    assertThatThrownBy(() -> ByteSizes.parse("server.x", "1 TB")).isInstanceOf(ConfigException.class);
  }
}
