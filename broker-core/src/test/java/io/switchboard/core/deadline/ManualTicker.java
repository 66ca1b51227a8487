package io.switchboard.core.deadline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when told, so that deadline tests are exact and never sleep. Thread-safe. */
final class ManualTicker implements Ticker {
  private final AtomicLong now;

  ManualTicker(long start) {
    now = new AtomicLong(start);
  }

  @Override
  public long nanoTime() {
    return now.get();
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  void advanceNanos(long nanos) {
    now.addAndGet(nanos);
  }
}
