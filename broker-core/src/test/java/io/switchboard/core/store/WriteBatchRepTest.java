package io.switchboard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;

/** Our serialized batches are byte for byte the ones RocksJava builds write by write. */
class WriteBatchRepTest {
  static {
    RocksDB.loadLibrary();
  }

  @Test
  void matchesRocksJava_forPutsDeletesAndRangeDeletes_ofEveryLengthClass() throws Exception {
    Random random = new Random(42);
    int[] lengths = {0, 1, 127, 128, 300, 16_383, 16_384, 70_000};
    RawWrite[] writes = new RawWrite[lengths.length * 3];
    try (WriteBatch expected = new WriteBatch()) {
      int i = 0;
      for (int len : lengths) {
        byte[] key = bytes(random, Math.max(1, len % 200));
        byte[] value = bytes(random, len);
        byte[] end = bytes(random, len + 1);
        writes[i++] = RawWrite.put(key, value);
        expected.put(key, value);
        writes[i++] = RawWrite.delete(value.length == 0 ? key : value);
        expected.delete(value.length == 0 ? key : value);
        writes[i++] = RawWrite.deleteRange(key, end);
        expected.deleteRange(key, end);
      }

      assertThat(WriteBatchRep.of(writes)).isEqualTo(expected.data());
      try (WriteBatch ours = new WriteBatch(WriteBatchRep.of(writes))) {
        assertThat(ours.count()).isEqualTo(writes.length);
      }
    }
  }

  @Test
  void anEmptyRoundIsAHeaderWithCountZero() throws Exception {
    try (WriteBatch expected = new WriteBatch()) {
      assertThat(WriteBatchRep.of(new RawWrite[0])).isEqualTo(expected.data()).hasSize(WriteBatchRep.HEADER);
    }
  }

  @Test
  void varintSizes() {
    assertThat(WriteBatchRep.varintSize(0)).isEqualTo(1);
    assertThat(WriteBatchRep.varintSize(127)).isEqualTo(1);
    assertThat(WriteBatchRep.varintSize(128)).isEqualTo(2);
    assertThat(WriteBatchRep.varintSize(16_383)).isEqualTo(2);
    assertThat(WriteBatchRep.varintSize(16_384)).isEqualTo(3);
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
