package io.switchboard.core.store;

/**
 * One write as the engine sees it: already enveloped, reserved keys included. Kept apart from
 * {@link WriteBatch.Op} so that engines know nothing about expiry, conditions or the key space rules.
 *
 * @param key raw key
 * @param value raw value, or {@code null} to delete
 */
record RawWrite(byte[] key, byte[] value) {

  static RawWrite put(byte[] key, byte[] value) {
    return new RawWrite(key, value);
  }

  static RawWrite delete(byte[] key) {
    return new RawWrite(key, null);
  }

  boolean isDelete() {
    return value == null;
  }
}
