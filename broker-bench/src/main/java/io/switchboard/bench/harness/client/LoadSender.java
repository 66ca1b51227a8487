package io.switchboard.bench.harness.client;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.bench.harness.BenchClock;
import io.switchboard.bench.harness.LoadStats;
import io.switchboard.bench.harness.OpenLoopSchedule;
import java.util.concurrent.TimeUnit;

/**
 * One publisher: a tick on its event loop every {@link #TICK_MICROS} µs takes the slots of its open-loop schedule
 * that are due and hands them to its transport (HTTP connection pool or NATS connection) with their intended
 * times; a slot that cannot go out at once waits in the transport's queue and its latency keeps counting. With
 * {@code --max} there is no schedule: the transport sends whenever it can, stamped with the actual send time.
 */
public final class LoadSender {
  public static final long TICK_MICROS = 250;
  private final EventLoop loop;
  private final SendTransport transport;
  private final LoadStats stats;
  private ScheduledFuture<?> tick;
  private OpenLoopSchedule schedule;

  /** Where a publisher's messages go. All calls happen on the publisher's event loop. */
  public interface SendTransport {
    /** Queues the message of the slot intended at {@code intendedNanos}; sends it as soon as possible. */
    void submit(long intendedNanos);

    /** {@code --max}: sends as many messages as the transport can take now, stamped now. */
    void fill();

    /** Flushes what the tick wrote. */
    void flush();

    /** Stops sending; queued messages are dropped. */
    void stop();

    /** Slots waiting because the transport could not send them yet. */
    int backlog();
  }

  public LoadSender(EventLoop loop, SendTransport transport, LoadStats stats) {
    this.loop = loop;
    this.transport = transport;
    this.stats = stats;
  }

  /** Starts at {@code startNanos}: open loop at {@code ratePerSecond}, or as fast as possible when it is 0. */
  public void start(long startNanos, double ratePerSecond) {
    loop.execute(() -> {
      schedule = ratePerSecond > 0 ? new OpenLoopSchedule(startNanos, ratePerSecond) : null;
      tick = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
    });
  }

  private void tick() {
    if (schedule == null) {
      transport.fill();
    } else {
      long now = BenchClock.now();
      long t;
      while ((t = schedule.nextDue(now)) >= 0) {
        if (transport.backlog() > 1_000_000) {
          stats.error(); // the target is hopelessly behind; drop the slot rather than grow without bound
          continue;
        }
        transport.submit(t);
      }
    }
    transport.flush();
  }

  public void stop() {
    loop.execute(() -> {
      if (tick != null) {
        tick.cancel(false);
      }
      transport.stop();
    });
  }
}
