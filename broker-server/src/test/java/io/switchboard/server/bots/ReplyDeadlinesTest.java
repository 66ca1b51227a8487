package io.switchboard.server.bots;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Requests answered in time never time out; the others time out at their own deadline, in arrival order. */
class ReplyDeadlinesTest {
  private final EmbeddedChannel ch = frozen();
  private final ReplyDeadlines deadlines = new ReplyDeadlines(ch.eventLoop(), 100);

  /** Time frozen: the test owns every nanosecond that passes, for the loop's ticker and its scheduled tasks. */
  private static EmbeddedChannel frozen() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    return ch;
  }
  private final List<String> timedOut = new ArrayList<>();

  private void advance(long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  @Test
  void answeredRequestsNeverTimeOut_unansweredOnesDoAtTheirDeadline() {
    ReplyDeadlines.Pending a = deadlines.arm(() -> timedOut.add("a"));
    advance(30);
    ReplyDeadlines.Pending b = deadlines.arm(() -> timedOut.add("b"));
    advance(30);
    ReplyDeadlines.Pending c = deadlines.arm(() -> timedOut.add("c"));
    assertThat(a.claim()).as("a answered in time").isTrue();
    advance(45); // t=105: a's deadline passed, but a was answered
    assertThat(timedOut).isEmpty();
    advance(30); // t=135: b's deadline (130) passed
    assertThat(timedOut).containsExactly("b");
    assertThat(b.claim()).as("the timeout answered b").isFalse();
    advance(30); // t=165: c's deadline (160) passed
    assertThat(timedOut).containsExactly("b", "c");
    assertThat(c.claim()).isFalse();
    assertThat(deadlines.size()).isZero();
  }

  @Test
  void aClaimIsExclusive_andAnsweredHeadsDoNotPileUp() {
    for (int i = 0; i < 1_000; i++) {
      ReplyDeadlines.Pending p = deadlines.arm(() -> timedOut.add("late"));
      assertThat(p.claim()).isTrue();
      assertThat(p.claim()).isFalse();
    }
    assertThat(deadlines.size()).as("answered requests dropped as new ones arrive").isLessThanOrEqualTo(1);
    advance(200);
    assertThat(timedOut).isEmpty();
  }
}
