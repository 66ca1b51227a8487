package io.switchboard.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** No false negatives within the replay window, few false positives, bounded generations. */
class RecentReplayKeysTest {
  private static final long KEEP = 120_000;

  private static byte[] key(String kind, long n) {
    return ("dev/replay/app-1/" + kind + "/" + n).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyAddedKeyIsMaybeSeen_andFewOthersAre() {
    AtomicLong now = new AtomicLong(1_000_000);
    RecentReplayKeys keys = new RecentReplayKeys(KEEP, now::get);
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      keys.add(key("hmac", i));
    }
    for (int i = 0; i < n; i++) {
      assertThat(keys.mayContain(key("hmac", i))).as("added key %d", i).isTrue();
    }
    int falsePositives = 0;
    for (int i = 0; i < n; i++) {
      if (keys.mayContain(key("never", i))) {
        falsePositives++;
      }
    }
    assertThat(falsePositives).as("false positives of %d", n).isLessThan(n / 50);
  }

  @Test
  void aKeyIsRememberedForTheWholeWindow_acrossGenerations() {
    AtomicLong now = new AtomicLong(1_000_000);
    RecentReplayKeys keys = new RecentReplayKeys(KEEP, now::get);
    byte[] early = key("token", -1);
    keys.add(early);
    // Fill generation after generation (each full one doubles the next) while time runs to the window's end.
    long added = 0;
    for (long t = 0; t < KEEP; t += 1_000) {
      now.set(1_000_000 + t);
      for (int i = 0; i < 5_000; i++) {
        keys.add(key("hmac", added++));
      }
      assertThat(keys.mayContain(early)).as("at +%d ms", t).isTrue();
    }
    assertThat(keys.generations()).as("rotated while filling").isGreaterThan(1);
    for (long i = 0; i < added; i += 997) {
      assertThat(keys.mayContain(key("hmac", i))).isTrue();
    }
  }

  @Test
  void generationsOlderThanTheWindowAreDropped() {
    AtomicLong now = new AtomicLong(1_000_000);
    RecentReplayKeys keys = new RecentReplayKeys(KEEP, now::get);
    for (int step = 0; step < 20; step++) {
      now.addAndGet(KEEP); // each add after a full window starts a new generation
      keys.add(key("hmac", step));
    }
    assertThat(keys.generations()).as("live generations after 20 windows").isLessThanOrEqualTo(3);
    assertThat(keys.mayContain(key("hmac", 19))).isTrue();
  }

  @Test
  void overTheMemoryBudget_theNewestGenerationKeepsFilling_andNothingIsForgotten() {
    AtomicLong now = new AtomicLong(1_000_000);
    // Room for the first generation and one twice its size: the third rotation is refused.
    long budget = 3L * RecentReplayKeys.MIN_KEYS * 16;
    RecentReplayKeys keys = new RecentReplayKeys(KEEP, now::get, budget);
    int n = 8 * RecentReplayKeys.MIN_KEYS;
    for (int i = 0; i < n; i++) {
      keys.add(key("hmac", i));
      if (i % 10_000 == 0) {
        now.addAndGet(1_500); // past the refused rotation's retry pause now and then
      }
    }
    assertThat(keys.generations()).as("bounded by the budget").isEqualTo(2);
    for (int i = 0; i < n; i++) {
      assertThat(keys.mayContain(key("hmac", i))).as("added key %d", i).isTrue();
    }
  }

  @Test
  void concurrentAddsLoseNoBits() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    RecentReplayKeys keys = new RecentReplayKeys(KEEP, now::get);
    int perThread = 40_000;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    Thread[] threads = new Thread[2];
    for (int t = 0; t < threads.length; t++) {
      String kind = "t" + t;
      threads[t] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          keys.add(key(kind, i));
        }
      });
      threads[t].start();
    }
    start.countDown();
    for (Thread t : threads) {
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
    }
    for (int t = 0; t < threads.length; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(keys.mayContain(key("t" + t, i))).as("thread %d key %d", t, i).isTrue();
      }
    }
  }
}
