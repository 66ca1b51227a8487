package io.switchboard.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

/** The bots baseline acknowledges only after its batch is written and the WAL synced, and the data is there. */
class GroupCommitLogTest {

  @Test
  void append_runsEveryCallbackAfterTheCoveringSync(@TempDir Path dir) throws Exception {
    CountDownLatch done = new CountDownLatch(100);
    try (GroupCommitLog log = new GroupCommitLog(dir, 5)) {
      for (int i = 0; i < 100; i++) {
        log.append(("k" + i).getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) i}, done::countDown);
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
    try (RocksDB db = RocksDB.openReadOnly(dir.toString())) {
      assertThat(db.get("k99".getBytes(StandardCharsets.US_ASCII))).containsExactly(99);
    }
  }
}
