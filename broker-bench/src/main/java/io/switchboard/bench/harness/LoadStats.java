package io.switchboard.bench.harness;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the client's event loops record while a target runs: delivery latency in microseconds, measured from the
 * <em>intended</em> send time of the open-loop schedule (so a stalled server is charged for every message that
 * waited behind the stall: the coordinated-omission correction), plus counts of sends, deliveries and errors.
 * Writers are wait-free and share nothing on the recording path: each thread records into its own HdrHistogram
 * {@link SingleWriterRecorder}s, which the reader merges (per-second intervals, the window at the end). One shared
 * {@code Recorder} had every delivery make six atomic updates on cache lines both client loops wrote: 6–10 % of the
 * client's samples under {@code fanout --max}, and more against the target whose deliveries reached both loops at
 * once, so the client charged part of its own contention to that target.
 *
 * <p>The result counts only messages whose slot lies in the measured window (whenever they arrive), so a backlog
 * left by the warm-up neither inflates the window's throughput when it drains nor escapes it: a message due in the
 * window and late is charged in full, one due before the window is not counted at all.
 */
public final class LoadStats {
  private final List<Shard> shards = new CopyOnWriteArrayList<>();
  private final FastThreadLocal<Shard> local = new FastThreadLocal<>() {
    @Override
    protected Shard initialValue() {
      Shard shard = new Shard();
      shards.add(shard);
      return shard;
    }
  };
  private final LongAdder windowDelivered = new LongAdder();
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private final LongAdder sent = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private long lastSent;
  private long lastDelivered;
  private long lastErrors;

  /** A message whose schedule slot was {@code intendedNanos} ({@link BenchClock}) arrived now. */
  public void delivered(long intendedNanos) {
    deliveredAt(intendedNanos, BenchClock.now());
  }

  /** As {@link #delivered(long)} with an explicit arrival time (tests). */
  public void deliveredAt(long intendedNanos, long arrivalNanos) {
    long us = Math.max(0, (arrivalNanos - intendedNanos) / 1000);
    Shard shard = local.get();
    shard.latencyUs.recordValue(us);
    delivered.increment();
    if (intendedNanos >= windowStart && intendedNanos < windowEnd) {
      shard.windowLatencyUs.recordValue(us);
      windowDelivered.increment();
    }
  }

  /** Sets the measured window: slots intended in {@code [startNanos, endNanos)} ({@link BenchClock}). */
  public void window(long startNanos, long endNanos) {
    windowEnd = endNanos;
    windowStart = startNanos;
  }

  /** Deliveries of messages due in the window so far. */
  public long windowDelivered() {
    return windowDelivered.sum();
  }

  /** The latency of the window's deliveries so far (a copy; call once, after the drain). */
  public Histogram windowLatency() {
    Histogram all = new Histogram(3);
    for (Shard shard : shards) {
      all.add(shard.windowLatencyUs.getIntervalHistogram());
    }
    return all;
  }

  public void sent() {
    sent.increment();
  }

  public void error() {
    errors.increment();
  }

  /** Messages sent and not (yet) delivered: what a {@code --max} sender without replies keeps bounded. */
  public long unanswered() {
    return sent.sum() - delivered.sum();
  }

  public long errorsSoFar() {
    return errors.sum();
  }

  /** Takes what was recorded since the previous call (called by one thread, once per progress tick). */
  public synchronized Interval interval() {
    Histogram h = new Histogram(3);
    for (Shard shard : shards) {
      shard.recycle = shard.latencyUs.getIntervalHistogram(shard.recycle);
      h.add(shard.recycle);
    }
    long s = sent.sum();
    long d = delivered.sum();
    long e = errors.sum();
    Interval iv = new Interval(h, s - lastSent, d - lastDelivered, e - lastErrors);
    lastSent = s;
    lastDelivered = d;
    lastErrors = e;
    return iv;
  }

  /** One interval's figures; {@code latencyUs} is a copy the caller owns. */
  public record Interval(Histogram latencyUs, long sent, long delivered, long errors) {}

  /** One recording thread's histograms: written by that thread only, read (and swapped) by the reader. */
  private static final class Shard {
    final SingleWriterRecorder latencyUs = new SingleWriterRecorder(3);
    final SingleWriterRecorder windowLatencyUs = new SingleWriterRecorder(3);
    Histogram recycle; // the reader's, under LoadStats' lock
  }
}
