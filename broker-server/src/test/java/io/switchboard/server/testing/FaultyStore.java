package io.switchboard.server.testing;

import io.switchboard.core.config.Durability;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.EntryVisitor;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.StoreException;
import io.switchboard.core.store.WriteBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link Store} that delegates to a real one but fails the commits a test picks (as a full disk or a dead engine
 * would: exceptionally, with a {@link StoreException}, on another thread), and can record which threads scan it.
 */
public final class FaultyStore implements Store {
  private final Store delegate;
  private volatile Predicate<WriteBatch> failing = b -> false;
  private volatile byte[] failingGets;
  private volatile Predicate<Thread> scanWatch = t -> false;
  private volatile byte[] scanWatchPrefix; // null: not watching
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger watchedScans = new AtomicInteger();
  private final AtomicInteger prefixScans = new AtomicInteger();
  /** Non-null while acknowledgements are held: completes when {@link #releaseDurability} is called. */
  private volatile CompletableFuture<Void> durabilityGate;

  public FaultyStore(Store delegate) {
    this.delegate = delegate;
  }

  /** From now on, commits matching {@code which} fail. */
  public void failCommits(Predicate<WriteBatch> which) {
    failing = which;
  }

  /** A predicate for batches writing a key that starts with {@code prefix} (a {@link Keys#of} prefix). */
  public static Predicate<WriteBatch> writing(String... prefix) {
    byte[] p = Keys.of(prefix);
    return b -> b.ops().stream().anyMatch(op -> startsWith(op.key(), p));
  }

  /**
   * From now on, counts scans from a key starting with {@code prefix} (a {@link Keys#of} prefix) made on a thread
   * matching {@code which}, e.g. {@link #onEventLoop}.
   */
  public void watchScans(Predicate<Thread> which, String... prefix) {
    scanWatchPrefix = Keys.of(prefix);
    scanWatch = which;
  }

  /** Threads of {@code broker}'s event loops. */
  public static Predicate<Thread> onEventLoop(io.switchboard.core.Switchboard broker) {
    io.netty.channel.EventLoopGroup loops = broker.context().eventLoops();
    return t -> {
      for (io.netty.util.concurrent.EventExecutor e : loops) {
        if (e.inEventLoop(t)) {
          return true;
        }
      }
      return false;
    };
  }

  /** Scans from the {@link #watchScans} prefix on any thread. */
  public int prefixScans() {
    return prefixScans.get();
  }

  /** Scans counted by {@link #watchScans}: from its prefix, on its threads. */
  public int watchedScans() {
    return watchedScans.get();
  }

  /**
   * From now on, commits are applied as usual (readable, {@code onApplied} told) but their futures complete only after
   * {@link #releaseDurability}: as if the fsync covering them had not returned yet.
   */
  public void holdDurability() {
    durabilityGate = new CompletableFuture<>();
  }

  /** Completes every commit held by {@link #holdDurability}; commits from now on complete as usual. */
  public void releaseDurability() {
    CompletableFuture<Void> gate = durabilityGate;
    durabilityGate = null;
    if (gate != null) {
      gate.complete(null);
    }
  }

  /** Commits failed so far. */
  public int failedCommits() {
    return failed.get();
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** From now on, point reads of keys starting with the '/'-joined {@code prefix} throw, as a failed engine read. */
  public void failGets(String... prefix) {
    failingGets = io.switchboard.core.store.Keys.of(prefix);
  }

  @Override
  public byte[] get(byte[] key) {
    byte[] failing = failingGets;
    if (failing != null && startsWith(key, failing)) {
      throw new StoreException("injected read failure");
    }
    return delegate.get(key);
  }

  @Override
  public void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor) {
    byte[] watched = scanWatchPrefix;
    if (watched != null && from != null && startsWith(from, watched)) {
      prefixScans.incrementAndGet();
      if (scanWatch.test(Thread.currentThread())) {
        watchedScans.incrementAndGet();
      }
    }
    delegate.scan(from, to, reverse, visitor);
  }

  @Override
  public CompletableFuture<CommitResult> commit(WriteBatch batch) {
    if (failing.test(batch)) {
      failed.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> {
        throw new StoreException("injected commit failure");
      });
    }
    return held(delegate.commit(batch));
  }

  @Override
  public CompletableFuture<CommitResult> commit(WriteBatch batch,
      Consumer<? super CommitResult> onApplied) {
    if (failing.test(batch)) {
      return commit(batch); // fails before it is applied: onApplied is not told
    }
    return held(delegate.commit(batch, onApplied));
  }

  private CompletableFuture<CommitResult> held(CompletableFuture<CommitResult> commit) {
    CompletableFuture<Void> gate = durabilityGate;
    return gate == null ? commit : commit.thenCombineAsync(gate, (result, released) -> result);
  }

  @Override
  public Runnable onExpired(byte[] prefix, java.util.function.IntConsumer listener) {
    return delegate.onExpired(prefix, listener);
  }

  @Override
  public Durability durability() {
    return delegate.durability();
  }

  @Override
  public int pendingWrites() {
    return delegate.pendingWrites();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
