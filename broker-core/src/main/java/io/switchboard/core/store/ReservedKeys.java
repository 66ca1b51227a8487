package io.switchboard.core.store;

import java.util.Arrays;

/**
 * Layout of the store's own {@code 0x00} key space, which user reads must never see: the format version marker
 * and the expiry index ({@code 0x00 'x' <8-byte BE expiresAt> <user key>}), ordered by expiry so that a sweep
 * reads only what is due.
 */
final class ReservedKeys {
  private ReservedKeys() {}

  static final byte[] FORMAT_VERSION = {Keys.RESERVED, 'm', 'f', 'o', 'r', 'm', 'a', 't'};
  static final byte[] EXPIRY_PREFIX = {Keys.RESERVED, 'x'};
  private static final int EXPIRY_HEADER = EXPIRY_PREFIX.length + 8;

  /** The smallest possible user key: user keys are non-empty and do not start with {@code 0x00}. */
  static final byte[] USER_START = {0x01};

  static final byte[] EMPTY = new byte[0];

  static byte[] expiryIndex(long expiresAt, byte[] userKey) {
    byte[] k = Keys.withLong(EXPIRY_PREFIX, expiresAt);
    k = Arrays.copyOf(k, EXPIRY_HEADER + userKey.length);
    System.arraycopy(userKey, 0, k, EXPIRY_HEADER, userKey.length);
    return k;
  }

  static long expiryOf(byte[] indexKey) {
    return Keys.readLong(indexKey, EXPIRY_PREFIX.length);
  }

  static byte[] userKeyOf(byte[] indexKey) {
    return Arrays.copyOfRange(indexKey, EXPIRY_HEADER, indexKey.length);
  }

  /** Exclusive upper bound of the index entries with {@code expiresAt <= nowMillis}. */
  static byte[] expiryIndexEnd(long nowMillis) {
    return nowMillis == Long.MAX_VALUE
        ? Keys.prefixEnd(EXPIRY_PREFIX)
        : Keys.withLong(EXPIRY_PREFIX, nowMillis + 1);
  }

  /** Raises a user scan's lower bound past the reserved space. */
  static byte[] userFrom(byte[] from) {
    return from == null || Arrays.compareUnsigned(from, USER_START) < 0 ? USER_START : from;
  }
}
