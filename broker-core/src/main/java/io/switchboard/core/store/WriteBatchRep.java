package io.switchboard.core.store;

/**
 * A round's writes in RocksDB's serialized write-batch format (its {@code WriteBatch::rep_}, the write-ahead log's
 * record body), for {@code new org.rocksdb.WriteBatch(byte[])}: one JNI call and one copy for the whole round. Adding
 * the writes one by one cost a JNI call per write, each pinning or copying its key and value and appending to the
 * native buffer: 12 % of the store writer's samples under {@code devices --max}.
 *
 * <p>The format, default column family only: a 12-byte header (sequence number, fixed64, and count, fixed32, both
 * little-endian; RocksDB sets the sequence at write time), then per write a tag byte and length-prefixed (varint32)
 * fields: {@code 0x01} put (key, value), {@code 0x00} delete (key), {@code 0x0F} range delete (begin, end).
 * {@code WriteBatchRepTest} checks the bytes against the ones RocksJava builds.
 */
final class WriteBatchRep {
  static final int HEADER = 12;
  static final byte TYPE_DELETION = 0x00;
  static final byte TYPE_VALUE = 0x01;
  static final byte TYPE_RANGE_DELETION = 0x0F;

  private WriteBatchRep() {}

  /** {@code writes}, in this order, as one serialized batch. */
  static byte[] of(RawWrite[] writes) {
    int size = HEADER;
    for (RawWrite w : writes) {
      size += 1 + field(w.key());
      if (w.isRangeDelete()) {
        size += field(w.rangeEnd());
      } else if (!w.isDelete()) {
        size += field(w.value());
      }
    }
    byte[] rep = new byte[size];
    int count = writes.length;
    rep[8] = (byte) count;
    rep[9] = (byte) (count >>> 8);
    rep[10] = (byte) (count >>> 16);
    rep[11] = (byte) (count >>> 24);
    int p = HEADER;
    for (RawWrite w : writes) {
      if (w.isRangeDelete()) {
        rep[p++] = TYPE_RANGE_DELETION;
        p = put(rep, p, w.key());
        p = put(rep, p, w.rangeEnd());
      } else if (w.isDelete()) {
        rep[p++] = TYPE_DELETION;
        p = put(rep, p, w.key());
      } else {
        rep[p++] = TYPE_VALUE;
        p = put(rep, p, w.key());
        p = put(rep, p, w.value());
      }
    }
    return rep;
  }

  private static int field(byte[] b) {
    return varintSize(b.length) + b.length;
  }

  static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static int put(byte[] rep, int p, byte[] b) {
    int v = b.length;
    while ((v & ~0x7F) != 0) {
      rep[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    rep[p++] = (byte) v;
    System.arraycopy(b, 0, rep, p, b.length);
    return p + b.length;
  }
}
