package io.switchboard.core.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StorageEngine} that models what survives a crash. Applied writes are visible to reads at once; writes
 * made with the log become durable on {@link #syncWal()} or a {@code sync} write; writes without the log never do
 * (a memtable flush is not modelled). {@link #crash()} throws away everything not durable, and every later write
 * or sync fails, as the dead process would. Syncs can be held at a gate to observe what is acknowledged before
 * the fsync returns.
 */
final class CrashableEngine implements StorageEngine {
  private final TreeMap<byte[], byte[]> visible = new TreeMap<>(Arrays::compareUnsigned);
  private final TreeMap<byte[], byte[]> durable = new TreeMap<>(Arrays::compareUnsigned);
  private final List<RawWrite> logged = new ArrayList<>(); // in the WAL, not yet fsynced
  private boolean crashed;

  private final AtomicInteger applies = new AtomicInteger();
  private final AtomicInteger syncs = new AtomicInteger();
  private volatile boolean holdSyncs;
  private final AtomicInteger syncFailures = new AtomicInteger(); // the next N syncs throw (a transient I/O error)
  private final Semaphore syncEntered = new Semaphore(0);
  private final Semaphore syncPermits = new Semaphore(0);

  @Override
  public synchronized byte[] get(byte[] key) {
    byte[] v = visible.get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor) {
    NavigableMap<byte[], byte[]> copy;
    synchronized (this) {
      copy = new TreeMap<>(visible);
    }
    if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
      return;
    }
    NavigableMap<byte[], byte[]> view = copy;
    if (from != null) {
      view = view.tailMap(from, true);
    }
    if (to != null) {
      view = view.headMap(to, false);
    }
    for (Map.Entry<byte[], byte[]> e : (reverse ? view.descendingMap() : view).entrySet()) {
      if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
        return;
      }
    }
  }

  @Override
  public synchronized void apply(List<RawWrite> writes, boolean walEnabled, boolean sync) {
    if (crashed) {
      throw new StoreException("engine crashed");
    }
    applies.incrementAndGet();
    for (RawWrite w : writes) {
      applyTo(visible, w);
      if (walEnabled) {
        logged.add(w);
      }
    }
    if (walEnabled && sync) {
      makeLoggedDurable(logged.size());
    }
  }

  /**
   * Makes durable what was logged when the call began, as RocksDB's SyncWAL does: writes applied while it runs (the
   * writer goes on during an fsync) are covered only by the next one.
   */
  @Override
  public void syncWal() {
    int covered;
    synchronized (this) {
      covered = logged.size();
    }
    if (holdSyncs) {
      syncEntered.release();
      syncPermits.acquireUninterruptibly();
    }
    synchronized (this) {
      if (crashed) {
        throw new StoreException("engine crashed");
      }
      if (syncFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StoreException("fsync failed (injected)");
      }
      makeLoggedDurable(covered);
    }
    syncs.incrementAndGet();
  }

  /** The next {@code n} syncs fail without making anything durable; the engine stays usable. */
  void failSyncs(int n) {
    syncFailures.set(n);
  }

  private void makeLoggedDurable(int count) {
    List<RawWrite> done = logged.subList(0, count);
    for (RawWrite w : done) {
      applyTo(durable, w);
    }
    done.clear();
  }

  private static void applyTo(TreeMap<byte[], byte[]> map, RawWrite w) {
    if (w.isRangeDelete()) {
      map.subMap(w.key(), true, w.rangeEnd(), false).clear();
    } else if (w.isDelete()) {
      map.remove(w.key());
    } else {
      map.put(w.key(), w.value());
    }
  }

  /** The process dies: what was not fsynced is gone, and nothing can be written any more. */
  synchronized void crash() {
    crashed = true;
    logged.clear();
    visible.clear();
    visible.putAll(durable);
  }

  /** Whether {@code key} would survive a crash right now. */
  synchronized boolean isDurable(byte[] key) {
    return durable.containsKey(key);
  }

  synchronized TreeMap<byte[], byte[]> durableSnapshot() {
    return new TreeMap<>(durable);
  }

  int applyCount() {
    return applies.get();
  }

  int syncCount() {
    return syncs.get();
  }

  /** From now on every {@link #syncWal()} waits for {@link #allowSync()}. */
  void holdSyncs() {
    holdSyncs = true;
  }

  /** Waits until a held sync is in progress (the sync thread is inside {@code syncWal}, before the fsync). */
  boolean awaitSyncEntered() throws InterruptedException {
    return syncEntered.tryAcquire(10, TimeUnit.SECONDS);
  }

  void allowSync() {
    syncPermits.release();
  }

  /** Stops holding syncs and lets every waiting or future one through. */
  void releaseSyncs() {
    holdSyncs = false;
    syncPermits.release(1_000_000);
  }

  @Override
  public String location() {
    return "crashable test engine";
  }

  @Override
  public void close() {}
}
