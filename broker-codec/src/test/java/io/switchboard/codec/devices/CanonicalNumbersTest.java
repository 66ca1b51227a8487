package io.switchboard.codec.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalNumbersTest {

  @ParameterizedTest
  @CsvSource({
      "0.1, 0.1", "21.5, 21.5", "0.0005, 0.0005", "0.0001, 0.0001", "1000000000000000.5, 1000000000000000.5",
      "-75.3, -75.3", "0.30000000000000004, 0.30000000000000004", "123.456, 123.456",
      "4503599627370495.5, 4503599627370495.5", "1.7976931348623157e308, 1.7976931348623157E+308",
      "2.0E-3, 0.002",
      // Java 17's Double.toString prints 9.999999999999999E22, 2.82879384806159008E17, 4.9E-324 (JDK-4511638)
      "1.0E23, 1E+23", "2.82879384806159E17, 2.82879384806159E+17", "5.0E-324, 5E-324",
  })
  void shortest_whenKnownValues_thenShortestDigits(double value, String expected) {
    assertThat(CanonicalNumbers.shortest(value).toString()).isEqualTo(expected);
  }

  @Test
  void shortest_whenRandomDoubles_thenRoundTripsAndNoShorterDecimalDoes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 3000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(d) || d == 0) {
        continue;
      }
      BigDecimal s = CanonicalNumbers.shortest(d);
      assertThat(s.doubleValue()).isEqualTo(d);
      assertThat(s.precision()).isLessThanOrEqualTo(
          new BigDecimal(Double.toString(d)).stripTrailingZeros().precision());
    }
  }
}
