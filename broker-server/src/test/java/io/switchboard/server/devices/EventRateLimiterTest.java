package io.switchboard.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-connection event rate limit (devices.md §7) and its bound: idle keys are forgotten. */
class EventRateLimiterTest {
  static final long SECOND = 1_000_000_000L;
  static final long STATE = SECOND;
  static final long SENSOR = 60 * SECOND;

  final EventRateLimiter limiter = new EventRateLimiter(0.2, SENSOR);

  @Test
  void tryAccept_refusesWithin80PercentOfTheInterval_perKey() {
    assertThat(limiter.tryAccept("d\0setPowerState\0-", STATE, 0)).isTrue();
    assertThat(limiter.tryAccept("d\0setPowerState\0-", STATE, 799_999_999)).isFalse();
    assertThat(limiter.tryAccept("d\0setBrightness\0-", STATE, 799_999_999)).as("another key").isTrue();
    assertThat(limiter.tryAccept("d\0setPowerState\0-", STATE, 800_000_000)).isTrue();
    assertThat(limiter.tryAccept("d\0powerUsage\0-", SENSOR, 0)).isTrue();
    assertThat(limiter.tryAccept("d\0powerUsage\0-", SENSOR, 47 * SECOND)).isFalse();
    assertThat(limiter.tryAccept("d\0powerUsage\0-", SENSOR, 48 * SECOND)).isTrue();
  }

  @Test
  void keysIdleForTheLongestInterval_areForgotten_soTheMapShrinks_andNoDecisionChanges() {
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryAccept("d\0action" + i + "\0-", i % 2 == 0 ? STATE : SENSOR, i)).isTrue();
    }
    assertThat(limiter.size()).as("all within the last minute: all remembered").isEqualTo(1000);

    // A minute later the device uses other keys: the map sweeps the idle ones as it grows again.
    long later = SENSOR + 1000;
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAccept("d\0other" + i + "\0-", STATE, later + i)).isTrue();
    }
    assertThat(limiter.size()).as("the thousand idle keys are gone").isLessThanOrEqualTo(100);
    assertThat(limiter.tryAccept("d\0other0\0-", STATE, later + SECOND / 2)).as("recent keys still limit").isFalse();
    assertThat(limiter.tryAccept("d\0action1\0-", SENSOR, later)).as("a forgotten key had expired anyway").isTrue();
  }
}
