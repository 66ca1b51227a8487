package io.switchboard.core.store;

import java.time.Instant;
import java.util.Arrays;

/**
 * The stored form of a user value: one flag byte, the expiry (8 bytes big-endian epoch millis) when the flag says
 * so, then the value. Expiry travels with the value so that a read decides liveness from one lookup, without
 * consulting the expiry index.
 */
final class Envelope {
  private Envelope() {}

  static final byte PLAIN = 0;
  static final byte EXPIRING = 1;
  private static final int EXPIRING_HEADER = 9;

  /** Envelope of {@code value}; {@code expiresAt == null} means it never expires. */
  static byte[] wrap(byte[] value, Instant expiresAt) {
    if (expiresAt == null) {
      byte[] env = new byte[1 + value.length];
      env[0] = PLAIN;
      System.arraycopy(value, 0, env, 1, value.length);
      return env;
    }
    byte[] env = Keys.withLong(new byte[] {EXPIRING}, toMillis(expiresAt));
    env = Arrays.copyOf(env, EXPIRING_HEADER + value.length);
    System.arraycopy(value, 0, env, EXPIRING_HEADER, value.length);
    return env;
  }

  /**
   * Millisecond resolution, clamped to {@code [0, Long.MAX_VALUE]}: the index orders expiries as unsigned bytes,
   * so a negative instant would sort last; 0 is just as expired.
   */
  static long toMillis(Instant t) {
    try {
      return Math.max(0, t.toEpochMilli());
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? 0 : Long.MAX_VALUE;
    }
  }

  static boolean hasExpiry(byte[] env) {
    return flag(env) == EXPIRING;
  }

  /** Epoch millis from which the entry reads as absent; only for {@link #hasExpiry} envelopes. */
  static long expiresAt(byte[] env) {
    return Keys.readLong(env, 1);
  }

  static boolean isLive(byte[] env, long nowMillis) {
    return !hasExpiry(env) || expiresAt(env) > nowMillis;
  }

  /** The user value, a fresh array. */
  static byte[] value(byte[] env) {
    return Arrays.copyOfRange(env, hasExpiry(env) ? EXPIRING_HEADER : 1, env.length);
  }

  /** The user value if {@code env} is present and live at {@code nowMillis}, else {@code null}. */
  static byte[] liveValue(byte[] env, long nowMillis) {
    return env != null && isLive(env, nowMillis) ? value(env) : null;
  }

  private static byte flag(byte[] env) {
    if (env.length == 0 || env[0] > EXPIRING || env[0] < PLAIN || (env[0] == EXPIRING && env.length < EXPIRING_HEADER)) {
      throw new StoreException("corrupt stored value: unknown envelope (" + env.length + " bytes, flag "
          + (env.length == 0 ? "none" : Integer.toString(env[0] & 0xFF)) + ")");
    }
    return env[0];
  }
}
