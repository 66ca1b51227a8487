package io.switchboard.core.deadline;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wheel on the system clock and its own thread. Bounds leave room for a loaded 2-core machine: never before the
 * deadline, at most 50 ms after it (normally under one 5 ms tick).
 */
class DeadlineRealTimeTest {
  private static final long DEADLINE_NANOS = MILLISECONDS.toNanos(200);
  private static final long SLACK_NANOS = MILLISECONDS.toNanos(50);

  private final DeadlineTimer timer = DeadlineTimer.start("test-deadline-wheel");
  private final EventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stop() {
    timer.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void a200msDeadline_firesNoEarlierThan200ms_andWithin50msAfter_asMeasuredByTheTimer() {
    CompletableFuture<Timeout> fired = new CompletableFuture<>();
    long start = System.nanoTime();
    timer.schedule(200, MILLISECONDS, loop, fired::complete);

    await().atMost(Duration.ofSeconds(5)).until(fired::isDone);
    long seenByTest = System.nanoTime() - start;

    long elapsed = fired.join().elapsedNanos();
    assertThat(elapsed).isGreaterThanOrEqualTo(DEADLINE_NANOS).isLessThanOrEqualTo(DEADLINE_NANOS + SLACK_NANOS);
    assertThat(seenByTest).isGreaterThanOrEqualTo(DEADLINE_NANOS);
  }

  @Test
  void pendingRequest_timesOutOnTheWheel_completesOnItsEventLoop_withTheMeasuredElapsed() {
    PendingRequests<String, String, String> table = new PendingRequests<>("devices", timer, PendingLimits.of(10, 8),
        device -> device, new SimpleMeterRegistry());
    CompletableFuture<Resolution<String, String, String>> done = new CompletableFuture<>();
    CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
    table.register("token", Duration.ofMillis(200), "d1", loop, r -> {
      onLoop.complete(loop.inEventLoop());
      done.complete(r);
    });

    await().atMost(Duration.ofSeconds(5)).until(done::isDone);

    Resolution<String, String, String> r = done.join();
    assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(r.elapsedNanos()).isGreaterThanOrEqualTo(DEADLINE_NANOS)
        .isLessThanOrEqualTo(DEADLINE_NANOS + SLACK_NANOS);
    assertThat(onLoop.join()).isTrue();
    assertThat(table.complete("token", "late")).isEqualTo(ReplyResult.LATE);
  }

  @Test
  void idleWheel_sleepsWithoutADeadline_isWokenBySchedule_andSleepsAgainOnceNothingIsPending() {
    Thread wheel = wheelThread();
    // Nothing pending for a second: parked without a deadline (WAITING), not ticking every 5 ms (TIMED_WAITING).
    await().atMost(Duration.ofSeconds(5)).until(() -> timer.idleSleeps() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> wheel.getState() == Thread.State.WAITING);

    CompletableFuture<Timeout> fired = new CompletableFuture<>();
    timer.schedule(200, MILLISECONDS, loop, fired::complete);
    await().atMost(Duration.ofSeconds(5)).until(fired::isDone);
    assertThat(fired.join().elapsedNanos()).isGreaterThanOrEqualTo(DEADLINE_NANOS)
        .isLessThanOrEqualTo(DEADLINE_NANOS + SLACK_NANOS);
    await().atMost(Duration.ofSeconds(5)).until(() -> timer.idleSleeps() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> wheel.getState() == Thread.State.WAITING);

    // A cancelled timeout leaves nothing pending either: the wheel goes back to sleep, and nothing fires.
    CompletableFuture<Timeout> never = new CompletableFuture<>();
    Timeout cancelled = timer.schedule(10, TimeUnit.SECONDS, loop, never::complete);
    assertThat(timer.pending()).isEqualTo(1);
    assertThat(cancelled.cancel()).isTrue();
    assertThat(timer.pending()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> timer.idleSleeps() == 3);
    assertThat(never).isNotDone();
  }

  @Test
  void wheelThatEmptiesBetweenShortRequests_keepsTicking_insteadOfBeingWokenForEach() {
    await().atMost(Duration.ofSeconds(5)).until(() -> timer.idleSleeps() == 1);
    // Requests answered at once, one every 50 ms: the wheel is empty nearly all the time, and busy.
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try {
      load.scheduleAtFixedRate(() -> timer.schedule(8, TimeUnit.SECONDS, loop, t -> { }).cancel(), 0, 50,
          MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> wheelThread().getState() != Thread.State.WAITING);
      await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> timer.idleSleeps() == 1);
    } finally {
      load.shutdownNow();
    }
    // Once they stop, it sleeps again after a second.
    await().atMost(Duration.ofSeconds(5)).until(() -> timer.idleSleeps() == 2);
  }

  @Test
  void wheelThread_isADaemon_ownsFireDue_andEndsOnClose() {
    Thread wheel = wheelThread();
    assertThat(wheel.isDaemon()).isTrue();
    assertThatThrownBy(timer::fireDue).isInstanceOf(IllegalStateException.class);

    timer.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> !wheel.isAlive());
  }

  private static Thread wheelThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("test-deadline-wheel")).findFirst().orElseThrow();
  }
}
