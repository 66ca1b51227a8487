package io.switchboard.core.store;

/**
 * One write as the engine sees it: already enveloped, reserved keys included. Kept apart from
 * {@link WriteBatch.Op} so that engines know nothing about expiry, conditions or the key space rules.
 *
 * @param key raw key; for a range delete, the first key deleted
 * @param value raw value, or {@code null} to delete
 * @param rangeEnd for a range delete, the end of the range (exclusive); {@code null} for a single key
 */
record RawWrite(byte[] key, byte[] value, byte[] rangeEnd) {

  static RawWrite put(byte[] key, byte[] value) {
    return new RawWrite(key, value, null);
  }

  static RawWrite delete(byte[] key) {
    return new RawWrite(key, null, null);
  }

  /** Deletes every key {@code k} with {@code from <= k < to}. */
  static RawWrite deleteRange(byte[] from, byte[] to) {
    return new RawWrite(from, null, to);
  }

  /** A delete of one key. */
  boolean isDelete() {
    return value == null && rangeEnd == null;
  }

  boolean isRangeDelete() {
    return rangeEnd != null;
  }

  /** Whether {@code k} lies in this range delete's range. */
  boolean rangeContains(byte[] k) {
    return java.util.Arrays.compareUnsigned(k, key) >= 0 && java.util.Arrays.compareUnsigned(k, rangeEnd) < 0;
  }
}
