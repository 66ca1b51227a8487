package io.switchboard.core.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.LoopHandOffs;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Store} over a {@link StorageEngine}, with one writer thread. A single writer is what makes conditions
 * atomic without locks: it evaluates each batch against the latest state (including applied but unsynced
 * writes) and applies it before looking at the next. It also lets many commits share one engine write and,
 * under {@link Durability#BATCH}, one fsync.
 *
 * <p>Acknowledgement follows the {@link Durability} contract: {@code NONE} right after the write, {@code SYNC}
 * after a write made with sync, {@code BATCH} after the next WAL fsync, which happens at most once per
 * {@code batchInterval} (immediately when the store was idle, so a lone writer is not delayed) on its own thread,
 * {@link WalSyncer}, while the writer goes on applying the next rounds. A conflict is
 * acknowledged like a write, once the state it observed is durable. Reads go straight to the engine.
 */
final class GroupCommitStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitStore.class);
  /** Outcomes completed per {@link LoopHandOffs#batch}: a few microseconds each, so a fraction of a millisecond. */
  static final int COMPLETION_BATCH = 64;

  static final String WRITER_THREAD = "switchboard-store-writer";
  /** Commits merged into one engine write at most, which bounds the size of a write and of a stall. */
  static final int MAX_ROUND = 1024;

  private sealed interface Task permits Commit, Sweep, Stop {}

  private static final class Commit implements Task {
    final WriteBatch batch;
    /** Null, or told the outcome once applied ({@link Store#commit(WriteBatch, Consumer)}). */
    final Consumer<? super CommitResult> onApplied;
    final CompletableFuture<CommitResult> future = new CompletableFuture<>();
    boolean finished; // by the thread that finishes it: the writer, or the sync thread once handed over

    Commit(WriteBatch batch, Consumer<? super CommitResult> onApplied) {
      this.batch = batch;
      this.onApplied = onApplied;
    }
  }

  private record Sweep(CompletableFuture<Integer> future) implements Task {}

  private enum Stop implements Task { INSTANCE }

  /** An outcome applied to the engine and waiting for the fsync that makes it durable. */
  private record Decided(Commit commit, CommitResult result) {}

  private final StorageEngine engine;
  private final Durability durability;
  private final Clock clock;
  private final long sweepIntervalNanos;
  private final AtomicInteger pending = new AtomicInteger();
  private final StoreMetrics metrics;
  private final ExpirySweeper sweeper;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  /** BATCH only: the fsyncs, pipelined with the writer; null under NONE and SYNC. */
  private final WalSyncer<Decided> syncer;
  /** Commits hold it shared while enqueueing; close holds it exclusively, so that Stop is the last task. */
  private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
  private boolean closed; // guarded by admission
  private final Thread writer;
  /** Set while the writer sleeps in {@link #gatherUntilNextSync}: a task that ends the gather must wake it. */
  private volatile boolean gathering;

  // Writer thread state.
  private long nextSweepNanos;
  private final AtomicInteger failureStreak = new AtomicInteger(); // writer and sync thread

  private GroupCommitStore(StorageEngine engine, StoreConfig config, Clock clock, MeterRegistry registry) {
    this.engine = engine;
    this.durability = config.durability();
    this.clock = clock;
    long batchIntervalNanos = config.batchInterval().toNanos();
    this.sweepIntervalNanos = config.expirySweepInterval().toNanos();
    this.metrics = new StoreMetrics(registry, pending::get);
    this.sweeper = new ExpirySweeper(engine);
    this.nextSweepNanos = System.nanoTime() + sweepIntervalNanos;
    this.syncer = durability != Durability.BATCH ? null
        : new WalSyncer<>(engine, batchIntervalNanos, metrics, this::durable, this::syncFailed);
    this.writer = new Thread(this::run, WRITER_THREAD);
    this.writer.setDaemon(false); // accepted writes keep the JVM alive until close() makes them durable
  }

  /** Starts the writer over {@code engine}, whose format has been checked; the store owns the engine from now. */
  static GroupCommitStore start(StorageEngine engine, StoreConfig config, Clock clock, MeterRegistry registry) {
    GroupCommitStore store = new GroupCommitStore(engine, config, clock, registry);
    store.writer.start();
    log.info("store open: {}, durability {}", engine.location(), store.durability);
    return store;
  }

  @Override
  public byte[] get(byte[] key) {
    Keys.checkUserKey(key);
    return Envelope.liveValue(engine.get(key), clock.millis());
  }

  @Override
  public void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor) {
    Objects.requireNonNull(visitor, "visitor");
    long now = clock.millis();
    engine.scan(ReservedKeys.userFrom(from), to, reverse,
        (k, env) -> !Envelope.isLive(env, now) || visitor.visit(k, Envelope.value(env)));
  }

  @Override
  public CompletableFuture<CommitResult> commit(WriteBatch batch) {
    return submit(new Commit(Objects.requireNonNull(batch, "batch"), null));
  }

  @Override
  public CompletableFuture<CommitResult> commit(WriteBatch batch, Consumer<? super CommitResult> onApplied) {
    return submit(new Commit(Objects.requireNonNull(batch, "batch"), Objects.requireNonNull(onApplied, "onApplied")));
  }

  private CompletableFuture<CommitResult> submit(Commit c) {
    if (!enqueue(c)) {
      metrics.failed();
      return CompletableFuture.failedFuture(new StoreException("store is closed"));
    }
    return c.future;
  }

  @Override
  public Runnable onExpired(byte[] prefix, java.util.function.IntConsumer listener) {
    Keys.checkUserKey(Objects.requireNonNull(prefix, "prefix"));
    return sweeper.onExpired(prefix, Objects.requireNonNull(listener, "listener"));
  }

  /** Runs an expiry sweep on the writer, after the commits already queued; completes with the entries deleted. */
  CompletableFuture<Integer> sweepNow() {
    Sweep s = new Sweep(new CompletableFuture<>());
    return enqueue(s) ? s.future() : CompletableFuture.failedFuture(new StoreException("store is closed"));
  }

  /** The engine, for tests that inspect the reserved key space. */
  StorageEngine engine() {
    return engine;
  }

  /** Whether the writer thread still runs, for tests of {@link #close()}. */
  boolean writerRunning() {
    return writer.isAlive();
  }

  private boolean enqueue(Task task) {
    Lock l = admission.readLock();
    l.lock();
    try {
      if (closed) {
        return false;
      }
      if (task instanceof Commit) {
        pending.incrementAndGet();
      }
      queue.add(task);
      if (gathering && endsGather(task)) {
        LockSupport.unpark(writer);
      }
      return true;
    } finally {
      l.unlock();
    }
  }

  @Override
  public Durability durability() {
    return durability;
  }

  @Override
  public int pendingWrites() {
    return pending.get();
  }

  /**
   * Queues a stop behind every accepted commit and waits for the writer to apply them, sync, and close the
   * engine. Called from a completion callback (on the writer or the sync thread) it cannot wait, and returns at once.
   */
  @Override
  public void close() {
    Lock l = admission.writeLock();
    l.lock();
    try {
      if (!closed) {
        closed = true;
        queue.add(Stop.INSTANCE);
        LockSupport.unpark(writer); // ends a gather
      }
    } finally {
      l.unlock();
    }
    if (Thread.currentThread() == writer || syncer != null && syncer.isSyncThread()) {
      return;
    }
    WalSyncer.joinUninterruptibly(writer);
  }

  // ---- writer thread ----

  private void run() {
    List<Task> round = new ArrayList<>();
    try {
      boolean stopping = false;
      while (!stopping) {
        Task first = queue.poll(waitNanos(), TimeUnit.NANOSECONDS);
        if (first != null) {
          round.add(first);
          queue.drainTo(round, MAX_ROUND - 1);
          gatherUntilNextSync(round);
          stopping = process(round);
          round.clear();
        }
        if (!stopping) {
          sweepIfDue();
        }
      }
    } catch (Throwable t) {
      log.error("store writer failed; the store is closed ({})", engine.location(), t);
      abort(round, t);
    } finally {
      if (syncer != null) {
        syncer.stopAndJoin(); // what was applied is made durable and acknowledged before the engine closes
      }
      try {
        engine.close();
      } catch (RuntimeException e) {
        log.warn("closing the store failed ({})", engine.location(), e);
      }
      metrics.close();
      log.info("store closed: {}", engine.location());
    }
  }

  /**
   * BATCH: adds the commits that arrive before the next fsync may start. Applied earlier, they would be acknowledged
   * no sooner (the fsync paces that), only in more, smaller engine writes. A stop or a sweep ends the wait, and so
   * does a commit whose {@code onApplied} waits to see it applied (it is answered before the fsync).
   *
   * <p>The writer sleeps until then rather than waiting on the queue, which woke it for every commit that arrived
   * (a futex wake and a context switch each: ten per round under the 1→100 fan-out, a quarter of the writer's CPU).
   * Only a task that ends the gather wakes it ({@link #enqueue}).
   */
  private void gatherUntilNextSync(List<Task> round) {
    if (syncer == null) {
      return;
    }
    long until = syncer.nextSyncNanos();
    int seen = 0;
    while (round.size() < MAX_ROUND) {
      for (; seen < round.size(); seen++) {
        if (endsGather(round.get(seen))) {
          return;
        }
      }
      long wait = until - System.nanoTime();
      if (wait <= 0) {
        queue.drainTo(round, MAX_ROUND - round.size());
        return;
      }
      // The flag first, then the queue: a task queued before the flag was set is drained here, a later one sees the
      // flag and unparks (a permit left by an earlier unpark only ends one sleep early).
      gathering = true;
      try {
        if (queue.drainTo(round, MAX_ROUND - round.size()) == 0) {
          LockSupport.parkNanos(this, wait);
        }
      } finally {
        gathering = false;
      }
    }
  }

  /** Whether {@code t} must be applied or run without waiting for more commits to share its round. */
  private static boolean endsGather(Task t) {
    return !(t instanceof Commit c) || c.onApplied != null;
  }

  /** Until the next sweep. */
  private long waitNanos() {
    return Math.max(0, nextSweepNanos - System.nanoTime());
  }

  /** Applies one drained round in order; returns whether it ended with the stop task. */
  private boolean process(List<Task> round) {
    List<Commit> group = new ArrayList<>(round.size());
    boolean stop = false;
    for (Task t : round) {
      if (t instanceof Commit c) {
        group.add(c);
        if (durability == Durability.SYNC) { // one synced write per batch, as the contract says
          applyGroup(group);
          group.clear();
        }
      } else if (t instanceof Sweep s) {
        applyGroup(group);
        group.clear();
        runSweep(s.future());
      } else {
        stop = true;
      }
    }
    applyGroup(group);
    return stop;
  }

  private void applyGroup(List<Commit> group) {
    if (group.isEmpty()) {
      return;
    }
    List<CommitResult> results = new ArrayList<>(group.size());
    boolean wrote;
    try {
      WriteRound round = new WriteRound(engine, clock.millis());
      for (Commit c : group) {
        results.add(round.add(c.batch));
      }
      wrote = !round.writes().isEmpty();
      if (wrote) {
        write(round.writes());
      }
      succeeded();
    } catch (RuntimeException e) {
      // Conflicts of this group were decided against writes that never happened: fail them too.
      StoreException failure = failed("write of " + group.size() + " commit(s)", e);
      group.forEach(c -> fail(c, failure));
      return;
    }
    notifyApplied(group, results);
    List<Decided> decided = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      decided.add(new Decided(group.get(i), results.get(i)));
    }
    if (syncer == null || !syncer.handOff(decided, wrote)) {
      completeAll(decided);
    }
  }

  /**
   * Tells the group's {@code onApplied} callbacks their outcomes, before the outcomes are handed to the fsync (so each
   * callback runs before its future completes), batching what they hand to event loops. A callback that throws is
   * logged; it does not fail the commit, whose write stands.
   */
  private void notifyApplied(List<Commit> group, List<CommitResult> results) {
    boolean any = false;
    for (Commit c : group) {
      any |= c.onApplied != null;
    }
    if (!any) {
      return;
    }
    LoopHandOffs.batch(() -> {
      for (int i = 0; i < group.size(); i++) {
        Consumer<? super CommitResult> callback = group.get(i).onApplied;
        if (callback != null) {
          try {
            callback.accept(results.get(i));
          } catch (RuntimeException e) {
            log.warn("a commit's onApplied callback failed ({})", engine.location(), e);
          }
        }
      }
    });
  }

  private void write(List<RawWrite> writes) {
    switch (durability) {
      case NONE -> engine.apply(writes, false, false);
      case BATCH -> engine.apply(writes, true, false);
      case SYNC -> {
        long start = System.nanoTime();
        engine.apply(writes, true, true);
        metrics.synced(System.nanoTime() - start);
      }
    }
  }

  /** Sync thread: the fsync covering {@code covered} returned. */
  private void durable(List<Decided> covered) {
    succeeded();
    completeAll(covered);
  }

  /**
   * Completes outcomes in order, {@link LoopHandOffs#batch batching} what their callbacks hand to event loops, at
   * most {@link #COMPLETION_BATCH} at a time so that the first one's loop task does not wait for a whole round.
   */
  private void completeAll(List<Decided> outcomes) {
    for (int from = 0; from < outcomes.size(); from += COMPLETION_BATCH) {
      List<Decided> part = outcomes.subList(from, Math.min(outcomes.size(), from + COMPLETION_BATCH));
      LoopHandOffs.batch(() -> part.forEach(d -> complete(d.commit(), d.result())));
    }
  }

  /** Sync thread: the fsync covering {@code covered} failed; later outcomes wait for one that succeeds. */
  private void syncFailed(List<Decided> covered, RuntimeException e) {
    StoreException failure = failed("fsync of the write-ahead log", e);
    covered.forEach(d -> fail(d.commit(), failure));
  }

  private void sweepIfDue() {
    if (System.nanoTime() - nextSweepNanos < 0) {
      return;
    }
    boolean more = false;
    try {
      more = sweepOnce().more();
      succeeded();
    } catch (RuntimeException e) {
      failed("expiry sweep", e);
    }
    nextSweepNanos = System.nanoTime() + (more ? 0 : sweepIntervalNanos);
  }

  private void runSweep(CompletableFuture<Integer> future) {
    try {
      int expired = sweepOnce().expired();
      succeeded();
      future.complete(expired);
    } catch (RuntimeException e) {
      future.completeExceptionally(failed("expiry sweep", e));
    }
  }

  private ExpirySweeper.Pass sweepOnce() {
    ExpirySweeper.Pass pass = sweeper.sweep(clock.millis(), durability != Durability.NONE);
    metrics.expired(pass.expired());
    if (pass.expired() > 0) {
      log.debug("expiry sweep deleted {} entries", pass.expired());
    }
    return pass;
  }

  private void complete(Commit c, CommitResult r) {
    if (!c.finished) {
      c.finished = true;
      pending.decrementAndGet();
      metrics.outcome(r);
      c.future.complete(r);
    }
  }

  private void fail(Commit c, StoreException e) {
    if (!c.finished) {
      c.finished = true;
      pending.decrementAndGet();
      metrics.failed();
      c.future.completeExceptionally(e);
    }
  }

  /** Logs the first failure of a streak with its stack trace; the rest of the streak only at debug. */
  private StoreException failed(String what, RuntimeException e) {
    int streak = failureStreak.incrementAndGet();
    if (streak == 1) {
      log.error("store {} failed ({})", what, engine.location(), e);
    } else {
      log.debug("store {} failed again ({} in a row): {}", what, streak, e.toString());
    }
    return e instanceof StoreException se ? se : new StoreException("store " + what + " failed: " + e, e);
  }

  private void succeeded() {
    int streak = failureStreak.getAndSet(0);
    if (streak > 0) {
      log.warn("store works again after {} failed operation(s) ({})", streak, engine.location());
    }
  }

  /** The writer cannot go on: refuse new work and fail everything accepted but not acknowledged. */
  private void abort(List<Task> round, Throwable cause) {
    Lock l = admission.writeLock();
    l.lock();
    try {
      closed = true;
    } finally {
      l.unlock();
    }
    StoreException failure = new StoreException("store writer failed: " + cause, cause);
    // Outcomes already handed to the syncer are its to finish: their writes were applied.
    List<Task> rest = new ArrayList<>(round);
    queue.drainTo(rest);
    for (Task t : rest) {
      if (t instanceof Commit c) {
        fail(c, failure);
      } else if (t instanceof Sweep s) {
        s.future().completeExceptionally(failure);
      }
    }
  }
}
