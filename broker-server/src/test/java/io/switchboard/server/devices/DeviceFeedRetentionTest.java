package io.switchboard.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.Stores;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.core.stream.Streams;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed keeps the newest {@code retainItems} per app (devices.md §6) while trimming in steps: readers never see
 * more than the retention, the store never holds more than a step beyond it, and a restarted broker goes on
 * trimming where the last one stopped.
 */
class DeviceFeedRetentionTest {
  private static final int RETAIN = 40;
  private static final int STEP = DeviceFeed.trimStep(RETAIN);
  private static final String APP = "app-1";

  @TempDir
  Path dir;

  private Store open() {
    return Stores.open(StoreConfig.builder().engine(StoreEngine.ROCKSDB).dataDir(dir.resolve("data"))
        .durability(Durability.BATCH).batchInterval(Duration.ofMillis(1)).build(), Clock.systemUTC(),
        new SimpleMeterRegistry());
  }

  private static void append(DeviceFeed feed, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      CommitResult r = feed.append(APP, new WriteBatch(), seq -> "{\"id\":" + seq + "}").get(10, TimeUnit.SECONDS);
      assertThat(r.isCommitted()).isTrue();
    }
  }

  private static List<Long> backlog(DeviceFeed feed, long after) {
    List<Long> seqs = new ArrayList<>();
    feed.backlog(APP, after, (seq, json) -> seqs.add(seq));
    return seqs;
  }

  private static int stored(Store store) {
    int[] n = {0};
    store.scanPrefix(Keys.of("dev", "feed", APP, ""), false, (k, v) -> {
      n[0]++;
      return true;
    });
    return n[0];
  }

  @Test
  void readersSeeTheNewestRetainedItems_andTheStoreHoldsAtMostAStepMore_acrossARestart() throws Exception {
    assertThat(STEP).isEqualTo(64);
    Store store = open();
    try {
      DeviceFeed feed = new DeviceFeed(store, new Streams(new SimpleMeterRegistry()), RETAIN, 100);
      for (int round = 0; round < 10; round++) {
        append(feed, 13);
        long last = 13L * (round + 1);
        assertThat(stored(store)).as("after %d items", last).isBetween((int) Math.min(last, RETAIN), RETAIN + STEP - 1);
        List<Long> all = backlog(feed, 0);
        assertThat(all).as("the newest %d of %d", RETAIN, last).hasSize((int) Math.min(last, RETAIN));
        assertThat(all.get(all.size() - 1)).isEqualTo(last);
      }
      assertThat(backlog(feed, 125)).containsExactly(126L, 127L, 128L, 129L, 130L);
      assertThat(backlog(feed, 3)).as("an old Last-Event-ID gets what is retained").hasSize(RETAIN).first()
          .isEqualTo(91L);
    } finally {
      store.close();
    }

    store = open();
    try {
      DeviceFeed feed = new DeviceFeed(store, new Streams(new SimpleMeterRegistry()), RETAIN, 100);
      append(feed, 3 * STEP);
      assertThat(backlog(feed, 0)).hasSize(RETAIN).last().isEqualTo(130L + 3 * STEP);
      assertThat(stored(store)).as("trimming went on from the first stored item").isBetween(RETAIN,
          RETAIN + STEP - 1);
    } finally {
      store.close();
    }
  }
}
