package io.switchboard.core.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pending table on a manual ticker: outcomes, bounds, late and unknown replies, failAll, meters. */
class PendingRequestsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(8);

  record Target(String connection, String device) {}

  private final ManualTicker ticker = new ManualTicker(-5_000_000_000L);
  private final DeadlineTimer timer = DeadlineTimer.manual(ticker, Duration.ofMillis(5), 2048);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Queue<Runnable> loop = new ArrayDeque<>();
  private final List<Resolution<String, Target, String>> resolved = new ArrayList<>();
  private PendingRequests<String, Target, String> table = table(new PendingLimits(100, 8, Duration.ofMinutes(2), 100));

  private PendingRequests<String, Target, String> table(PendingLimits limits) {
    return new PendingRequests<>("devices", timer, limits, Target::device, registry);
  }

  private Registration register(String key, String connection, String device) {
    return table.register(key, DEADLINE, new Target(connection, device), loop::add, resolved::add);
  }

  private void runLoop() {
    for (Runnable r; (r = loop.poll()) != null; ) {
      r.run();
    }
  }

  private void advance(Duration d) {
    ticker.advance(d);
    timer.fireDue();
  }

  private double count(String name) {
    return registry.get("switchboard.requests." + name).tag("dialect", "devices").counter().count();
  }

  private double refused(Refusal reason) {
    return registry.get("switchboard.requests.refused").tag("reason", reason.tag()).counter().count();
  }

  @Test
  void reply_beforeDeadline_completesOnceOnItsExecutor() {
    assertThat(register("t1", "c1", "d1").accepted()).isTrue();
    advance(Duration.ofMillis(300));

    assertThat(table.complete("t1", "OK")).isEqualTo(ReplyResult.COMPLETED);
    assertThat(resolved).isEmpty();
    runLoop();

    assertThat(resolved).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.reply()).isEqualTo("OK");
      assertThat(r.context()).isEqualTo(new Target("c1", "d1"));
      assertThat(r.elapsedNanos()).isEqualTo(Duration.ofMillis(300).toNanos());
    });
    assertThat(table.size()).isZero();
    assertThat(table.pendingIn("d1")).isZero();
    assertThat(timer.pending()).as("its timeout was cancelled").isZero();
    assertThat(table.complete("t1", "again")).isEqualTo(ReplyResult.UNKNOWN);
    assertThat(count("completed")).isEqualTo(1);
    assertThat(count("unmatched")).isEqualTo(1);
  }

  @Test
  void deadline_timesOutExactlyAtIt_withTheMeasuredElapsed_thenAReplyIsLate() {
    register("t1", "c1", "d1");

    advance(DEADLINE.minusNanos(1));
    runLoop();
    assertThat(resolved).isEmpty();
    advance(Duration.ofNanos(1));
    assertThat(table.size()).as("decided on the wheel, before the loop runs").isZero();
    assertThat(table.complete("t1", "too late")).isEqualTo(ReplyResult.LATE);
    runLoop();

    assertThat(resolved).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
      assertThat(r.reply()).isNull();
      assertThat(r.elapsedNanos()).isEqualTo(DEADLINE.toNanos());
    });
    assertThat(count("timed_out")).isEqualTo(1);
    assertThat(count("late")).isEqualTo(1);
    var fired = registry.get("switchboard.requests.timeout.fired").timer();
    assertThat(fired.count()).isEqualTo(1);
    assertThat(fired.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(DEADLINE.toNanos());
    assertThat(registry.get("switchboard.requests.timeout.overshoot").timer().max(TimeUnit.NANOSECONDS)).isZero();
  }

  @Test
  void lateKey_isForgottenAfterTheRetention() {
    register("t1", "c1", "d1");
    advance(DEADLINE);

    advance(Duration.ofMinutes(2).minusNanos(1));
    assertThat(table.complete("t1", "late")).isEqualTo(ReplyResult.LATE);
    advance(Duration.ofNanos(1));
    assertThat(table.complete("t1", "later")).isEqualTo(ReplyResult.UNKNOWN);
  }

  @Test
  void lateKeys_areBounded_oldestForgottenFirst() {
    table = table(new PendingLimits(100, 8, Duration.ofMinutes(2), 3));
    for (int i = 0; i < 5; i++) {
      register("t" + i, "c1", "d" + i);
      advance(Duration.ofMillis(10));
    }
    advance(DEADLINE);

    assertThat(table.lateKeys()).isEqualTo(3);
    assertThat(table.complete("t0", "r")).isEqualTo(ReplyResult.UNKNOWN);
    assertThat(table.complete("t1", "r")).isEqualTo(ReplyResult.UNKNOWN);
    assertThat(table.complete("t2", "r")).isEqualTo(ReplyResult.LATE);
    assertThat(table.complete("t4", "r")).isEqualTo(ReplyResult.LATE);
  }

  @Test
  void unknownToken_isUnknown_andCounted() {
    assertThat(table.complete("never-sent", "OK")).isEqualTo(ReplyResult.UNKNOWN);
    assertThat(count("unmatched")).isEqualTo(1);
    assertThat(count("late")).isZero();
  }

  @Test
  void perGroupBound_refusesTheNinthForOneDevice_only() {
    for (int i = 0; i < 8; i++) {
      assertThat(register("a" + i, "c1", "dA").accepted()).isTrue();
    }

    Registration ninth = register("a8", "c1", "dA");
    assertThat(ninth.accepted()).isFalse();
    assertThat(ninth.refusal()).isEqualTo(Refusal.TOO_MANY_IN_GROUP);
    assertThat(register("b0", "c1", "dB").accepted()).isTrue();
    assertThat(table.pendingIn("dA")).isEqualTo(8);
    assertThat(refused(Refusal.TOO_MANY_IN_GROUP)).isEqualTo(1);

    table.complete("a3", "OK");
    assertThat(register("a8", "c1", "dA").accepted()).isTrue();
  }

  @Test
  void globalBound_refusesPastMaxPending() {
    table = table(new PendingLimits(3, 8, Duration.ofMinutes(2), 100));
    for (int i = 0; i < 3; i++) {
      assertThat(register("t" + i, "c1", "d" + i).accepted()).isTrue();
    }

    assertThat(register("t3", "c1", "d3").refusal()).isEqualTo(Refusal.TOO_MANY_PENDING);
    assertThat(refused(Refusal.TOO_MANY_PENDING)).isEqualTo(1);
    assertThat(table.pendingIn("d3")).as("a refusal holds no group slot").isZero();
    advance(DEADLINE);
    assertThat(register("t3", "c1", "d3").accepted()).isTrue();
  }

  @Test
  void duplicateKey_isRefused_andTheFirstStaysPending() {
    register("t1", "c1", "d1");

    assertThat(register("t1", "c1", "d2").refusal()).isEqualTo(Refusal.DUPLICATE_KEY);
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.pendingIn("d2")).isZero();
    assertThat(table.context("t1")).isEqualTo(new Target("c1", "d1"));
  }

  @Test
  void cancel_resolvesAsCancelled_andFreesItsTimeout() {
    Registration r = register("t1", "c1", "d1");

    assertThat(r.cancel()).isTrue();
    assertThat(r.cancel()).isFalse();
    assertThat(table.cancel("t1")).isFalse();
    runLoop();

    assertThat(resolved).singleElement().extracting(Resolution::outcome).isEqualTo(Outcome.CANCELLED);
    assertThat(timer.pending()).isZero();
    assertThat(table.complete("t1", "OK")).as("a cancelled key is not late").isEqualTo(ReplyResult.UNKNOWN);
    assertThat(count("cancelled")).isEqualTo(1);
  }

  @Test
  void failAll_failsTheClosedConnectionsRequestsAtOnce_andLeavesTheOthers() {
    register("t1", "c1", "d1");
    register("t2", "c1", "d2");
    register("t3", "c2", "d3");

    assertThat(table.failAll(t -> t.connection().equals("c1"), "connection_closed")).isEqualTo(2);
    runLoop();

    assertThat(resolved).hasSize(2).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.failure()).isEqualTo("connection_closed");
      assertThat(r.context().connection()).isEqualTo("c1");
    });
    assertThat(table.size()).isEqualTo(1);
    assertThat(timer.pending()).isEqualTo(1);
    assertThat(table.complete("t1", "OK")).isEqualTo(ReplyResult.UNKNOWN);
    assertThat(table.complete("t3", "OK")).isEqualTo(ReplyResult.COMPLETED);
    assertThat(count("failed")).isEqualTo(2);
  }

  @Test
  void fail_failsOneRequestAtOnce_withItsReason_andOnlyOnce() {
    register("t1", "c1", "d1");
    register("t2", "c1", "d1");

    assertThat(table.fail("t1", "store_failure")).isTrue();
    assertThat(table.fail("t1", "store_failure")).as("resolved already").isFalse();
    assertThat(table.fail("nope", "store_failure")).isFalse();
    runLoop();

    assertThat(resolved).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.failure()).isEqualTo("store_failure");
    });
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.pendingIn("d1")).isEqualTo(1);
    assertThat(timer.pending()).as("its deadline is cancelled").isEqualTo(1);
    assertThat(table.complete("t1", "OK")).isEqualTo(ReplyResult.UNKNOWN);
    assertThat(count("failed")).isEqualTo(1);
  }

  @Test
  void closedTimer_refusesRegistration() {
    timer.close();

    assertThat(register("t1", "c1", "d1").refusal()).isEqualTo(Refusal.CLOSED);
    assertThat(table.size()).isZero();
    assertThat(table.pendingIn("d1")).isZero();
  }

  @Test
  void pendingGauge_followsTheTable() {
    register("t1", "c1", "d1");
    register("t2", "c1", "d1");
    assertThat(registry.get("switchboard.requests.pending").gauge().value()).isEqualTo(2);

    table.complete("t1", "OK");
    assertThat(registry.get("switchboard.requests.pending").gauge().value()).isEqualTo(1);
  }

  @Test
  void noGroup_meansNoPerGroupBound() {
    PendingRequests<String, Target, String> ungrouped =
        new PendingRequests<>("rooms", timer, PendingLimits.of(100, 1), t -> null, registry);
    for (int i = 0; i < 5; i++) {
      assertThat(ungrouped.register("t" + i, DEADLINE, new Target("c1", "d1"), loop::add, resolved::add).accepted())
          .isTrue();
    }
  }
}
