package io.switchboard.codec.devices;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers in canonical form (devices.md §4.3 rule 3): the one spelling that the ESP's raw-substring check,
 * JavaScript's {@code JSON.stringify} and Python's {@code json.dumps} all reproduce. Integral values are written as
 * integers within ±(2^53 − 1), which JavaScript holds exactly. Other values need a magnitude in [0.0001, 1e16), where
 * both languages print the shortest round-trip digits without an exponent, and get those digits here.
 *
 * <p>Why not {@code Double.toString}: before JDK 19 (JDK-4511638) it sometimes prints more digits than needed, and
 * then JavaScript and Python would print a different, shorter text than the signed one.
 */
final class CanonicalNumbers {
  private CanonicalNumbers() {}

  static final long MAX_SAFE_INTEGER = 9007199254740991L;
  static final double MIN_FRACTION_MAGNITUDE = 0.0001;

  /** {@code value} as it will be written: a {@link Long}, or a {@link BigDecimal} holding the shortest digits. */
  static Number canonical(double value, String path, String text) {
    if (!Double.isFinite(value)) {
      throw outsideRange(path, text);
    }
    if (value == Math.rint(value)) {
      if (Math.abs(value) > MAX_SAFE_INTEGER) {
        throw new NonCanonicalValueException(path, "integer " + text + " is outside ±" + MAX_SAFE_INTEGER);
      }
      return (long) value; // -0.0 becomes 0, as JSON.stringify writes it
    }
    if (Math.abs(value) < MIN_FRACTION_MAGNITUDE) {
      throw outsideRange(path, text); // fractions never reach 1e16: every double from 2^53 up is integral
    }
    return shortest(value);
  }

  /** An integer read as such; only the range applies. */
  static Long canonical(long value, String path, String text) {
    if (value > MAX_SAFE_INTEGER || value < -MAX_SAFE_INTEGER) {
      throw new NonCanonicalValueException(path, "integer " + text + " is outside ±" + MAX_SAFE_INTEGER);
    }
    return value;
  }

  /**
   * The shortest decimal that reads back as {@code value} (finite, non-zero), the nearest such decimal when several
   * have that length, the even one on a tie: what ECMAScript Number::toString and Python's {@code repr} choose.
   * At each length only the two neighbours of the exact value can be nearest, so both are tried; the round-trip
   * interval is not always symmetric (below a power of two it is half as wide), hence not just round-half-even.
   */
  static BigDecimal shortest(double value) {
    double magnitude = Math.abs(value);
    BigDecimal exact = new BigDecimal(magnitude);
    int maxDigits = new BigDecimal(Double.toString(magnitude)).stripTrailingZeros().precision(); // round-trips
    BigDecimal best = null;
    for (int digits = 1; digits <= maxDigits && best == null; digits++) {
      BigDecimal down = exact.round(new MathContext(digits, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(digits, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == magnitude;
      boolean upOk = up.doubleValue() == magnitude;
      if (downOk && upOk) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        best = cmp < 0 ? down : cmp > 0 ? up : down.unscaledValue().testBit(0) ? up : down;
      } else if (downOk) {
        best = down;
      } else if (upOk) {
        best = up;
      }
    }
    if (best == null) {
      best = new BigDecimal(Double.toString(magnitude));
    }
    best = best.stripTrailingZeros();
    return value < 0 ? best.negate() : best;
  }

  private static NonCanonicalValueException outsideRange(String path, String text) {
    return new NonCanonicalValueException(path, "number " + text + " is outside the canonical range");
  }
}
