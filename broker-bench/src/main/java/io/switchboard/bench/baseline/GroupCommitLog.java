package io.switchboard.bench.baseline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The bots baseline's durable append: a RocksDB with one writer thread that applies queued puts as a batch
 * (write-ahead log, no sync), then syncs the log at most once per interval (at once when idle) and only then runs
 * the waiting acknowledgements: the same "batch" durability as the broker's group commit, without its conditions,
 * TTLs or indexes.
 */
final class GroupCommitLog implements AutoCloseable {
  private final RocksDB db;
  private final WriteOptions noSync;
  private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
  private final long intervalNanos;
  private final Thread writer;
  private volatile boolean running = true;
  private long lastSync;

  private record Entry(byte[] key, byte[] value, Runnable onDurable) {}

  GroupCommitLog(Path dir, long intervalMillis) throws RocksDBException {
    RocksDB.loadLibrary();
    this.noSync = new WriteOptions().setSync(false);
    this.db = RocksDB.open(new Options().setCreateIfMissing(true), dir.toString());
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.lastSync = System.nanoTime() - intervalNanos;
    this.writer = new Thread(this::run, "baseline-store-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues a put; {@code onDurable} runs on the writer thread after the fsync that covers it. */
  void append(byte[] key, byte[] value, Runnable onDurable) {
    queue.add(new Entry(key, value, onDurable));
  }

  private void run() {
    List<Entry> waiting = new ArrayList<>();
    while (running) {
      try {
        Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        waiting.add(first);
        write(waiting, 0);
        long wait = lastSync + intervalNanos - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          int from = waiting.size();
          queue.drainTo(waiting);
          write(waiting, from);
        }
        db.syncWal();
        lastSync = System.nanoTime();
        waiting.forEach(e -> e.onDurable().run());
        waiting.clear();
      } catch (InterruptedException e) {
        return;
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Drains whatever else is queued into {@code waiting} and writes {@code waiting[from..]} as one batch. */
  private void write(List<Entry> waiting, int from) throws RocksDBException {
    queue.drainTo(waiting);
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = from; i < waiting.size(); i++) {
        batch.put(waiting.get(i).key(), waiting.get(i).value());
      }
      db.write(noSync, batch);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    writer.join(2000);
    db.close();
  }
}
