package io.switchboard.core.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Replies, cancels, failAll and the wheel race on different threads over the same requests: each request resolves
 * exactly once, every reply gets exactly one answer, and the counters add up.
 */
class PendingRequestsRaceTest {
  private static final int REQUESTS = 20_000;

  record Target(int connection, int device) {}

  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @RepeatedTest(5)
  void completeVsTimeoutVsCancelVsFailAll_eachRequestResolvesExactlyOnce() throws Exception {
    ManualTicker ticker = new ManualTicker(0);
    DeadlineTimer timer = DeadlineTimer.manual(ticker, Duration.ofMillis(1), 1024);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PendingRequests<Integer, Target, String> table = new PendingRequests<>("devices", timer,
        PendingLimits.of(REQUESTS, REQUESTS), Target::device, registry);
    AtomicIntegerArray resolutions = new AtomicIntegerArray(REQUESTS);
    Map<Outcome, AtomicInteger> outcomes = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, new AtomicInteger());
    }
    AtomicInteger wrongReplies = new AtomicInteger();
    Random random = new Random();
    for (int i = 0; i < REQUESTS; i++) {
      Registration r = table.register(i, Duration.ofMillis(1 + random.nextInt(40)), new Target(i % 7, i % 100),
          Runnable::run, res -> {
            resolutions.incrementAndGet(res.key());
            outcomes.get(res.outcome()).incrementAndGet();
            if (res.outcome() == Outcome.COMPLETED && !res.reply().equals("r" + res.key())) {
              wrongReplies.incrementAndGet();
            }
          });
      assertThat(r.accepted()).isTrue();
    }

    CountDownLatch go = new CountDownLatch(1);
    Map<ReplyResult, AtomicInteger> replies = new EnumMap<>(ReplyResult.class);
    for (ReplyResult r : ReplyResult.values()) {
      replies.put(r, new AtomicInteger());
    }
    AtomicInteger cancelled = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Callable<Void>> racers = new ArrayList<>();
    racers.add(() -> {
      go.await();
      for (int i = 0; i < REQUESTS; i++) {
        replies.get(table.complete(i, "r" + i)).incrementAndGet();
      }
      return null;
    });
    racers.add(() -> {
      go.await();
      for (int i = REQUESTS - 1; i >= 0; i -= 2) {
        cancelled.addAndGet(table.cancel(i) ? 1 : 0);
      }
      return null;
    });
    racers.add(() -> {
      go.await();
      for (int ms = 0; ms < 45; ms++) {
        ticker.advance(Duration.ofMillis(1));
        timer.fireDue();
      }
      return null;
    });
    racers.add(() -> {
      go.await();
      failed.addAndGet(table.failAll(t -> t.connection() == 3, "connection_closed"));
      return null;
    });
    List<Future<Void>> running = new ArrayList<>();
    for (Callable<Void> c : racers) {
      running.add(threads.submit(c));
    }
    go.countDown();
    for (Future<Void> f : running) {
      f.get(60, TimeUnit.SECONDS);
    }

    for (int i = 0; i < REQUESTS; i++) {
      assertThat(resolutions.get(i)).as("resolutions of request %d", i).isEqualTo(1);
    }
    assertThat(wrongReplies).hasValue(0);
    assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
    assertThat(outcomes.get(Outcome.COMPLETED)).hasValue(replies.get(ReplyResult.COMPLETED).get());
    assertThat(outcomes.get(Outcome.CANCELLED)).hasValue(cancelled.get());
    assertThat(outcomes.get(Outcome.FAILED)).hasValue(failed.get());
    assertThat(replies.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
    assertThat(replies.get(ReplyResult.LATE).get()).isLessThanOrEqualTo(outcomes.get(Outcome.TIMED_OUT).get());

    assertThat(counter(registry, "completed")).isEqualTo(outcomes.get(Outcome.COMPLETED).get());
    assertThat(counter(registry, "timed_out")).isEqualTo(outcomes.get(Outcome.TIMED_OUT).get());
    assertThat(counter(registry, "cancelled")).isEqualTo(cancelled.get());
    assertThat(counter(registry, "failed")).isEqualTo(failed.get());
    assertThat(counter(registry, "late")).isEqualTo(replies.get(ReplyResult.LATE).get());
    assertThat(counter(registry, "unmatched")).isEqualTo(replies.get(ReplyResult.UNKNOWN).get());
    assertThat(table.size()).isZero();
    assertThat(timer.pending()).as("every timeout fired or was cancelled").isZero();
    for (int d = 0; d < 100; d++) {
      assertThat(table.pendingIn(d)).isZero();
    }
  }

  private static double counter(SimpleMeterRegistry registry, String name) {
    return registry.get("switchboard.requests." + name).counter().count();
  }
}
