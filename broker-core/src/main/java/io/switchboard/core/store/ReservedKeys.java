package io.switchboard.core.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layout of the store's own {@code 0x00} key space, which user reads must never see: the format version marker
 * and the expiry index, ordered by expiry so that a sweep reads only what is due. The index has two forms:
 * <ul>
 *   <li>{@code 0x00 'x' <8-byte BE expiresAt> <user key>}, empty value: one key;
 *   <li>{@code 0x00 'g' <8-byte BE expiresAt> <first user key>}, value: the group's other keys, each as a 4-byte
 *       BE length and its bytes. The keys one writer round puts new with one expiry share it ({@code WriteRound}):
 *       a round of bots messages writes one for all their messages, pending entries and pending indexes. Nothing
 *       deletes a group before it is due (a rewrite or delete of a member drops only the {@code 'x'} form); the
 *       sweep checks each member's live expiry, as for the {@code 'x'} form, so a member rewritten since is left
 *       alone (format version 2).
 * </ul>
 */
final class ReservedKeys {
  private ReservedKeys() {}

  static final byte[] FORMAT_VERSION = {Keys.RESERVED, 'm', 'f', 'o', 'r', 'm', 'a', 't'};
  static final byte[] EXPIRY_PREFIX = {Keys.RESERVED, 'x'};
  static final byte[] GROUP_PREFIX = {Keys.RESERVED, 'g'};
  /** Both forms: a two-byte prefix, then the expiry. */
  private static final int EXPIRY_HEADER = EXPIRY_PREFIX.length + 8;

  /** The smallest possible user key: user keys are non-empty and do not start with {@code 0x00}. */
  static final byte[] USER_START = {0x01};

  static final byte[] EMPTY = new byte[0];

  static byte[] expiryIndex(long expiresAt, byte[] userKey) {
    return indexKey(EXPIRY_PREFIX, expiresAt, userKey);
  }

  /** The group index entry's key; its value is {@link #groupValue} of the other keys. */
  static byte[] groupIndex(long expiresAt, byte[] firstKey) {
    return indexKey(GROUP_PREFIX, expiresAt, firstKey);
  }

  private static byte[] indexKey(byte[] prefix, long expiresAt, byte[] userKey) {
    byte[] k = Keys.withLong(prefix, expiresAt);
    k = Arrays.copyOf(k, EXPIRY_HEADER + userKey.length);
    System.arraycopy(userKey, 0, k, EXPIRY_HEADER, userKey.length);
    return k;
  }

  /** The keys {@code keys[1..]}, length-prefixed, as a group entry's value ({@code keys[0]} is in its key). */
  static byte[] groupValue(List<byte[]> keys) {
    int size = 0;
    for (int i = 1; i < keys.size(); i++) {
      size += 4 + keys.get(i).length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    for (int i = 1; i < keys.size(); i++) {
      b.putInt(keys.get(i).length).put(keys.get(i));
    }
    return b.array();
  }

  /** Every user key of the group entry {@code indexKey} → {@code value}, the one in its key first. */
  static List<byte[]> groupMembers(byte[] indexKey, byte[] value) {
    List<byte[]> keys = new ArrayList<>();
    keys.add(userKeyOf(indexKey));
    ByteBuffer b = ByteBuffer.wrap(value);
    while (b.hasRemaining()) {
      int length = b.remaining() >= 4 ? b.getInt() : -1;
      if (length <= 0 || length > b.remaining()) {
        throw new StoreException("corrupt expiry group entry " + Keys.printable(indexKey) + ": bad member length "
            + length + " with " + b.remaining() + " bytes left");
      }
      byte[] key = new byte[length];
      b.get(key);
      keys.add(key);
    }
    return keys;
  }

  /** Whether {@code indexKey} is a group entry (else a single-key one). */
  static boolean isGroup(byte[] indexKey) {
    return indexKey.length > 1 && indexKey[1] == GROUP_PREFIX[1];
  }

  static long expiryOf(byte[] indexKey) {
    return Keys.readLong(indexKey, EXPIRY_PREFIX.length);
  }

  static byte[] userKeyOf(byte[] indexKey) {
    return Arrays.copyOfRange(indexKey, EXPIRY_HEADER, indexKey.length);
  }

  /** Exclusive upper bound of the entries of index form {@code prefix} with {@code expiresAt <= nowMillis}. */
  static byte[] indexEnd(byte[] prefix, long nowMillis) {
    return nowMillis == Long.MAX_VALUE ? Keys.prefixEnd(prefix) : Keys.withLong(prefix, nowMillis + 1);
  }

  /** Raises a user scan's lower bound past the reserved space. */
  static byte[] userFrom(byte[] from) {
    return from == null || Arrays.compareUnsigned(from, USER_START) < 0 ? USER_START : from;
  }
}
