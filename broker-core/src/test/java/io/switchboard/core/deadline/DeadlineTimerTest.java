package io.switchboard.core.deadline;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The wheel on a manual ticker: exact tick boundaries, never early, O(1) cancel, executor hand-off. */
class DeadlineTimerTest {
  private static final long MS = 1_000_000L;
  private static final Executor DIRECT = Runnable::run;

  private final ManualTicker ticker = new ManualTicker(123_456_789L);
  private final DeadlineTimer timer = DeadlineTimer.manual(ticker, Duration.ofMillis(5), 64);
  private final List<Timeout> fired = new ArrayList<>();

  @Test
  void timeout_firesAtFirstTickBoundaryAtOrAfterItsDeadline_neverBefore() {
    Timeout t = timer.schedule(12, MILLISECONDS, DIRECT, fired::add);

    ticker.advanceNanos(15 * MS - 1);
    assertThat(timer.fireDue()).isZero();
    assertThat(t.isExpired()).isFalse();

    ticker.advanceNanos(1);
    assertThat(timer.fireDue()).isEqualTo(1);
    assertThat(fired).containsExactly(t);
    assertThat(t.elapsedNanos()).isEqualTo(15 * MS);
  }

  @Test
  void deadlineOnABoundary_firesExactlyAtIt() {
    Timeout t = timer.schedule(10, MILLISECONDS, DIRECT, fired::add);

    ticker.advanceNanos(10 * MS - 1);
    timer.fireDue();
    assertThat(fired).isEmpty();
    ticker.advanceNanos(1);
    timer.fireDue();

    assertThat(fired).containsExactly(t);
    assertThat(t.elapsedNanos()).isEqualTo(10 * MS);
  }

  @Test
  void zeroOrNegativeDelay_firesAtTheNextBoundary() {
    ticker.advanceNanos(3 * MS);
    Timeout zero = timer.schedule(0, MILLISECONDS, DIRECT, fired::add);
    Timeout negative = timer.schedule(-7, MILLISECONDS, DIRECT, fired::add);

    ticker.advanceNanos(2 * MS);
    timer.fireDue();

    assertThat(fired).containsExactly(zero, negative);
    assertThat(zero.elapsedNanos()).isEqualTo(2 * MS);
  }

  @Test
  void delayOfSeveralRevolutions_skipsItsBucketInEarlierRounds() {
    // 64 slots x 5 ms = 320 ms per revolution; 1000 ms is in the same slot at 40, 360 and 680 ms.
    Timeout t = timer.schedule(1000, MILLISECONDS, DIRECT, fired::add);

    for (int ms = 5; ms < 1000; ms += 5) {
      ticker.advanceNanos(5 * MS);
      timer.fireDue();
      assertThat(fired).as("fired at %d ms", ms).isEmpty();
    }
    ticker.advanceNanos(5 * MS);
    timer.fireDue();

    assertThat(fired).containsExactly(t);
    assertThat(t.elapsedNanos()).isEqualTo(1000 * MS);
  }

  @Test
  void randomDelaysAndSchedulingTimes_neverEarly_atMostOneTickLate() {
    Random random = new Random(42);
    List<Timeout> all = new ArrayList<>();
    long step = MS / 3;
    for (int i = 0; i < 3000; i++) {
      all.add(timer.schedule(random.nextInt(700 * (int) MS), NANOSECONDS, DIRECT, fired::add));
      if (random.nextInt(3) == 0) {
        ticker.advanceNanos(1 + random.nextInt((int) step));
        timer.fireDue();
      }
    }
    for (int i = 0; i < 3000 && fired.size() < all.size(); i++) {
      ticker.advanceNanos(step);
      timer.fireDue();
    }

    assertThat(fired).hasSameSizeAs(all);
    for (Timeout t : all) {
      assertThat(t.elapsedNanos()).isGreaterThanOrEqualTo(t.delayNanos()).isLessThan(t.delayNanos() + 5 * MS + step);
    }
    assertThat(timer.pending()).isZero();
  }

  @Test
  void task_runsOnTheExecutorGivenAtSchedule_notOnTheWheel() {
    Queue<Runnable> loop = new ArrayDeque<>();
    Timeout t = timer.schedule(5, MILLISECONDS, loop::add, fired::add);

    ticker.advance(Duration.ofMillis(5));
    timer.fireDue();
    assertThat(t.isExpired()).isTrue();
    assertThat(fired).isEmpty();
    assertThat(loop).hasSize(1);

    loop.poll().run();
    assertThat(fired).containsExactly(t);
  }

  @Test
  void cancel_unlinksFromItsBucketAtOnce_andTheTaskNeverRuns() {
    Timeout head = timer.schedule(20, MILLISECONDS, DIRECT, fired::add);
    Timeout middle = timer.schedule(20, MILLISECONDS, DIRECT, fired::add);
    Timeout tail = timer.schedule(20, MILLISECONDS, DIRECT, fired::add);
    Timeout last = timer.schedule(20, MILLISECONDS, DIRECT, fired::add);
    assertThat(timer.bucketSizeOf(head)).isEqualTo(4);

    assertThat(middle.cancel()).isTrue();
    assertThat(timer.bucketSizeOf(middle)).isEqualTo(-1);
    assertThat(timer.bucketSizeOf(head)).isEqualTo(3);
    assertThat(head.cancel()).isTrue();
    assertThat(last.cancel()).isTrue();
    assertThat(timer.bucketSizeOf(tail)).isEqualTo(1);
    assertThat(timer.pending()).isEqualTo(1);
    assertThat(middle.cancel()).isFalse();

    ticker.advance(Duration.ofMillis(20));
    assertThat(timer.fireDue()).isEqualTo(1);

    assertThat(fired).containsExactly(tail);
    assertThat(middle.isCancelled()).isTrue();
    assertThat(middle.isExpired()).isFalse();
    assertThat(middle.elapsedNanos()).isEqualTo(-1);
    assertThat(tail.cancel()).isFalse();
    assertThat(timer.pending()).isZero();
  }

  @Test
  void cancelledWhileFiring_taskDoesNotRun() {
    Queue<Runnable> loop = new ArrayDeque<>();
    Timeout t = timer.schedule(5, MILLISECONDS, loop::add, fired::add);
    t.cancel();

    ticker.advance(Duration.ofMillis(5));
    assertThat(timer.fireDue()).isZero();
    assertThat(loop).isEmpty();
  }

  @Test
  void wheelFarBehind_firesEverythingDueInOnePass_notEarly() {
    List<Timeout> all = new ArrayList<>();
    for (int ms = 0; ms < 2000; ms += 7) {
      all.add(timer.schedule(ms, MILLISECONDS, DIRECT, fired::add));
    }
    Timeout later = timer.schedule(4000, MILLISECONDS, DIRECT, fired::add);

    ticker.advance(Duration.ofMillis(3000));
    timer.fireDue();

    assertThat(fired).containsExactlyInAnyOrderElementsOf(all);
    assertThat(later.isExpired()).isFalse();
    assertThat(all).allSatisfy(t -> assertThat(t.elapsedNanos()).isEqualTo(3000 * MS));
    ticker.advance(Duration.ofMillis(1000));
    timer.fireDue();
    assertThat(later.elapsedNanos()).isEqualTo(4000 * MS);
  }

  @Test
  void tickerWrappingPastLongMax_keepsExactTiming() {
    ManualTicker wrapping = new ManualTicker(Long.MAX_VALUE - 7 * MS);
    DeadlineTimer t = DeadlineTimer.manual(wrapping, Duration.ofMillis(5), 64);
    Timeout timeout = t.schedule(20, MILLISECONDS, DIRECT, fired::add);

    wrapping.advanceNanos(20 * MS - 1);
    t.fireDue();
    assertThat(fired).isEmpty();
    wrapping.advanceNanos(1);
    t.fireDue();

    assertThat(fired).containsExactly(timeout);
    assertThat(timeout.elapsedNanos()).isEqualTo(20 * MS);
  }

  @Test
  void close_dropsPendingTimeouts_andRefusesNewOnes() {
    Timeout t = timer.schedule(5, MILLISECONDS, DIRECT, fired::add);

    timer.close();
    ticker.advance(Duration.ofMillis(10));
    timer.fireDue();

    assertThat(fired).isEmpty();
    assertThat(t.isCancelled()).isTrue();
    assertThat(timer.pending()).isZero();
    assertThatThrownBy(() -> timer.schedule(5, MILLISECONDS, DIRECT, fired::add))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void tickAndWheelSize_areValidated() {
    assertThatThrownBy(() -> DeadlineTimer.manual(ticker, Duration.ofMillis(11), 64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeadlineTimer.manual(ticker, Duration.ofNanos(999_999), 64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeadlineTimer.manual(ticker, Duration.ofMillis(5), 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DeadlineTimer.manual(ticker, Duration.ofMillis(1), 16).tickNanos()).isEqualTo(MS);
  }
}
