package io.switchboard.core.quota;

import io.switchboard.core.store.Keys;
import java.util.Arrays;

/**
 * Store layout of acceptance records: {@code <namespace><principal>/<ms: 8 bytes BE><seq: 4 bytes BE>} → count
 * (4 bytes BE). Big-endian numbers make a principal's records scan in time order. One record per reservation rather
 * than one per millisecond: each key is written exactly once, so the store's content is the sum of the committed
 * reservations whatever order concurrent commits reach the writer in (an absolute per-millisecond count written by
 * two racing batches could land in the wrong order and under-count).
 */
final class QuotaKeys {
  static final int RECORD_SUFFIX = 12;

  private final byte[] namespace;

  /** @param namespace e.g. {@code quota/bots/}; must not start with the store's reserved byte */
  QuotaKeys(String namespace) {
    if (namespace.isEmpty() || namespace.charAt(0) == (char) Keys.RESERVED) {
      throw new IllegalArgumentException("bad quota namespace: " + namespace);
    }
    this.namespace = Keys.utf8(namespace);
  }

  /** The prefix of every record of {@code principal}; '/' ends it, so principals may not contain '/'. */
  byte[] principalPrefix(String principal) {
    if (principal.isEmpty() || principal.indexOf('/') >= 0) {
      throw new IllegalArgumentException("quota principal must be non-empty without '/': " + principal);
    }
    byte[] p = Keys.utf8(principal);
    byte[] prefix = Arrays.copyOf(namespace, namespace.length + p.length + 1);
    System.arraycopy(p, 0, prefix, namespace.length, p.length);
    prefix[prefix.length - 1] = '/';
    return prefix;
  }

  static byte[] record(byte[] principalPrefix, long ms, int seq) {
    byte[] key = Arrays.copyOf(principalPrefix, principalPrefix.length + RECORD_SUFFIX);
    int at = principalPrefix.length;
    writeInt(key, at, (int) (ms >>> 32));
    writeInt(key, at + 4, (int) ms);
    writeInt(key, at + 8, seq);
    return key;
  }

  static long millisOf(byte[] key) {
    return Keys.readLong(key, key.length - RECORD_SUFFIX);
  }

  static int seqOf(byte[] key) {
    return readInt(key, key.length - 4);
  }

  static byte[] count(int n) {
    byte[] v = new byte[4];
    writeInt(v, 0, n);
    return v;
  }

  /** The count in a record's value; a value of another length reads as 1 (never under-counts a record). */
  static int countOf(byte[] value) {
    return value.length == 4 ? Math.max(1, readInt(value, 0)) : 1;
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }
}
