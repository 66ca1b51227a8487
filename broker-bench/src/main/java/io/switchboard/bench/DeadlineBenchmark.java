package io.switchboard.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.deadline.DeadlineTimer;
import io.switchboard.core.deadline.PendingLimits;
import io.switchboard.core.deadline.PendingRequests;
import io.switchboard.core.deadline.ReplyResult;
import io.switchboard.core.deadline.Resolution;
import io.switchboard.core.deadline.Timeout;
import io.switchboard.core.deadline.TimeoutTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Cost of the request/reply path's bookkeeping: a schedule+cancel pair on the wheel (the fate of every request
 * answered in time), with and without 100k other timeouts pending (O(1): the figure must not move), and a
 * register+complete pair on {@link PendingRequests} (map, bounds, timeout, meters, hand-off to a direct executor).
 *
 * <pre>java -jar broker-bench/target/benchmarks.jar Deadline -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeadlineBenchmark {
  private static final Executor DIRECT = Runnable::run;
  private static final TimeoutTask NOTHING = t -> { };
  private static final Duration REPLY_DEADLINE = Duration.ofSeconds(8);

  /** A running wheel (its own thread, 5 ms tick) with {@code background} timeouts pending 20-60 s out. */
  @State(Scope.Benchmark)
  public static class Wheel {
    @Param({"0", "100000"})
    public int background;

    DeadlineTimer timer;
    private final List<Timeout> parked = new ArrayList<>();

    @Setup
    public void setUp() {
      timer = DeadlineTimer.start("bench-deadline-wheel");
      for (int i = 0; i < background; i++) {
        parked.add(timer.schedule(20_000 + i % 40_000, TimeUnit.MILLISECONDS, DIRECT, NOTHING));
      }
    }

    @TearDown
    public void tearDown() {
      timer.close();
    }
  }

  /** A pending table on a running wheel, with the devices dialect's bounds. */
  @State(Scope.Benchmark)
  public static class Table {
    DeadlineTimer timer;
    PendingRequests<String, String, String> pending;

    @Setup
    public void setUp() {
      timer = DeadlineTimer.start("bench-pending-wheel");
      pending = new PendingRequests<>("bench", timer, PendingLimits.of(1_000_000, 8), device -> device,
          new SimpleMeterRegistry());
    }

    @TearDown
    public void tearDown() {
      timer.close();
    }
  }

  /** Each thread's own reply tokens and devices, so that threads never collide on a key. */
  @State(Scope.Thread)
  public static class Tokens {
    private static final AtomicInteger THREADS = new AtomicInteger();
    final String[] keys = new String[1024];
    final String[] devices = new String[64];
    int next;

    @Setup
    public void setUp() {
      int thread = THREADS.getAndIncrement();
      for (int i = 0; i < keys.length; i++) {
        keys[i] = UUID.randomUUID().toString();
      }
      for (int i = 0; i < devices.length; i++) {
        devices[i] = "device-" + thread + "-" + i;
      }
    }
  }

  private static final Consumer<Resolution<String, String, String>> IGNORE = r -> { };

  @Benchmark
  public boolean scheduleThenCancel(Wheel wheel) {
    return wheel.timer.schedule(8, TimeUnit.SECONDS, DIRECT, NOTHING).cancel();
  }

  @Benchmark
  @Threads(2)
  public boolean scheduleThenCancel_2threads(Wheel wheel) {
    return wheel.timer.schedule(8, TimeUnit.SECONDS, DIRECT, NOTHING).cancel();
  }

  @Benchmark
  public ReplyResult registerThenComplete(Table table, Tokens tokens) {
    int i = tokens.next++ & (tokens.keys.length - 1);
    String key = tokens.keys[i];
    table.pending.register(key, REPLY_DEADLINE, tokens.devices[i & (tokens.devices.length - 1)], DIRECT, IGNORE);
    return table.pending.complete(key, "OK");
  }

  @Benchmark
  @Threads(2)
  public ReplyResult registerThenComplete_2threads(Table table, Tokens tokens) {
    return registerThenComplete(table, tokens);
  }
}
