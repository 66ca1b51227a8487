package io.switchboard.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Clock} that tests move by hand; thread-safe. Time-based broker rules read the injected clock. */
public final class MutableClock extends Clock {
  private final AtomicLong nanos;

  public MutableClock(Instant start) {
    this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
  }

  public static MutableClock atNow() {
    return new MutableClock(Instant.now());
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  public void set(Instant t) {
    nanos.set(t.getEpochSecond() * 1_000_000_000L + t.getNano());
  }

  @Override
  public Instant instant() {
    long n = nanos.get();
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  @Override
  public long millis() {
    return Math.floorDiv(nanos.get(), 1_000_000L);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
