package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final DateTimeFormatter NANOS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

  @Test
  void sameTextAsTheJdk_forEveryFractionShape_acrossSeconds() {
    Random random = new Random(20261203);
    long base = Instant.parse("2026-12-03T13:59:58Z").getEpochSecond();
    for (int n = 0; n < 50_000; n++) {
      long second = n % 7 == 0 ? random.nextInt(Integer.MAX_VALUE) : base + random.nextInt(4);
      int nano = switch (n % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(second, nano);
      assertThat(Timestamps.iso(t)).isEqualTo(t.toString());
      assertThat(Timestamps.isoNanos(t)).isEqualTo(NANOS.format(t));
    }
  }

  @Test
  void smallFractions_keepTheirLeadingZeros() {
    Instant t = Instant.parse("2026-12-03T00:00:00.000000001Z");
    assertThat(Timestamps.iso(t)).isEqualTo("2026-12-03T00:00:00.000000001Z");
    assertThat(Timestamps.isoNanos(t)).isEqualTo("2026-12-03T00:00:00.000000001Z");
    assertThat(Timestamps.iso(Instant.parse("2026-12-03T00:00:00.010Z"))).isEqualTo("2026-12-03T00:00:00.010Z");
    assertThat(Timestamps.isoNanos(Instant.parse("2026-12-03T00:00:00Z"))).isEqualTo("2026-12-03T00:00:00.000000000Z");
  }
}
