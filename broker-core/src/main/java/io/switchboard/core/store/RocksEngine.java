package io.switchboard.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded RocksDB. Every RocksDB object here wraps a native handle, so all of them are closed exactly once, and
 * reads hold a shared lock that {@link #close()} takes exclusively: touching a closed native handle crashes the
 * JVM instead of throwing.
 */
final class RocksEngine implements StorageEngine {
  private static final Logger log = LoggerFactory.getLogger(RocksEngine.class);
  /** RocksDB's default comparator: unsigned bytewise. */
  private static final Comparator<RawWrite> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());

  private final Path dir;
  private final RocksDB db;
  private final Options options;
  private final LRUCache blockCache;
  private final BloomFilter filter;
  private final WriteOptions noWal;
  private final WriteOptions walNoSync;
  private final WriteOptions walSync;
  private final ReentrantReadWriteLock handles = new ReentrantReadWriteLock();
  private boolean closed; // guarded by handles
  private volatile boolean unloggedWrites; // writes that only a memtable flush makes durable

  private RocksEngine(Path dir, RocksDB db, Options options, LRUCache blockCache, BloomFilter filter) {
    this.dir = dir;
    this.db = db;
    this.options = options;
    this.blockCache = blockCache;
    this.filter = filter;
    this.noWal = new WriteOptions().setDisableWAL(true);
    this.walNoSync = new WriteOptions().setSync(false);
    this.walSync = new WriteOptions().setSync(true);
  }

  /** Opens (creating if missing) the database in {@code dir}. */
  static RocksEngine open(Path dir, long blockCacheBytes, long writeBufferBytes) {
    RocksDB.loadLibrary();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create store directory " + dir + ": " + e.getMessage(), e);
    }
    LRUCache cache = new LRUCache(blockCacheBytes);
    // Whole-key Bloom filters, in the tables and in the memtable: the writer reads every condition's key, and
    // most are absent (fresh idempotency and replay keys), which a filter answers without a table or skiplist walk.
    BloomFilter filter = new BloomFilter(10, false);
    Options options = new Options()
        .setCreateIfMissing(true)
        .setWriteBufferSize(writeBufferBytes)
        .setKeepLogFileNum(5)
        .setMemtablePrefixBloomSizeRatio(0.05)
        .setMemtableWholeKeyFiltering(true)
        // One writer thread (the store's): the memtable's plain skiplist insert, not its concurrent one.
        .setAllowConcurrentMemtableWrite(false)
        .setEnableWriteThreadAdaptiveYield(false)
        // Universal compaction: most entries are short-lived (pending pushes, replay keys, expiry-index entries),
        // and leveled compaction rewrote them level after level, half a core in the background under the bots load.
        .setCompactionStyle(CompactionStyle.UNIVERSAL)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter)
            .setWholeKeyFiltering(true));
    try {
      RocksDB db = RocksDB.open(options, dir.toString());
      return new RocksEngine(dir, db, options, cache, filter);
    } catch (RocksDBException e) {
      options.close();
      cache.close();
      filter.close();
      throw new StoreException("cannot open RocksDB store in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] get(byte[] key) {
    Lock l = readLock();
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new StoreException("read failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      l.unlock();
    }
  }

  @Override
  public void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor) {
    if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
      return;
    }
    Lock l = readLock();
    try (RocksIterator it = db.newIterator()) {
      if (reverse) {
        scanDescending(it, from, to, visitor);
      } else {
        scanAscending(it, from, to, visitor);
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("scan failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      l.unlock();
    }
  }

  private static void scanAscending(RocksIterator it, byte[] from, byte[] to, EntryVisitor visitor) {
    if (from == null) {
      it.seekToFirst();
    } else {
      it.seek(from);
    }
    for (; it.isValid(); it.next()) {
      byte[] k = it.key();
      if ((to != null && Arrays.compareUnsigned(k, to) >= 0) || !visitor.visit(k, it.value())) {
        return;
      }
    }
  }

  private static void scanDescending(RocksIterator it, byte[] from, byte[] to, EntryVisitor visitor) {
    if (to == null) {
      it.seekToLast();
    } else {
      it.seekForPrev(to); // lands on the last key <= to; the upper bound is exclusive
      if (it.isValid() && Arrays.equals(it.key(), to)) {
        it.prev();
      }
    }
    for (; it.isValid(); it.prev()) {
      byte[] k = it.key();
      if ((from != null && Arrays.compareUnsigned(k, from) < 0) || !visitor.visit(k, it.value())) {
        return;
      }
    }
  }

  @Override
  public void apply(List<RawWrite> writes, boolean walEnabled, boolean sync) {
    Lock l = readLock();
    try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch(WriteBatchRep.of(inKeyOrder(writes)))) {
      if (!walEnabled) {
        unloggedWrites = true;
      }
      db.write(!walEnabled ? noWal : sync ? walSync : walNoSync, batch);
    } catch (RocksDBException e) {
      throw new StoreException("write failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      l.unlock();
    }
  }

  /**
   * The writes sorted by key, stable, without the ones a later write to the same key supersedes. A batch lands in
   * the memtable's skiplist one entry at a time, and the skiplist starts each insert from where the previous one went
   * in: in key order an insert walks a few low levels, in arrival order (a round interleaves feed items, device
   * states, replay keys, index entries) it walks from the top. Measured under {@code devices --max}: the splice
   * recomputation was 41 % of the writer's samples. A superseded write would be an entry no reader can see (the
   * round is one atomic batch), paid for in the memtable, the log, the flush and compaction: a quarter of the writes
   * of a {@code devices --max} round are device states that a later event of the same device overwrites.
   */
  static RawWrite[] inKeyOrder(List<RawWrite> writes) {
    RawWrite[] w = writes.toArray(new RawWrite[0]);
    int kept = 0;
    // A range delete covers the writes before it, not those after: each run between range deletes is sorted alone.
    int from = 0;
    for (int i = 0; i <= w.length; i++) {
      if (i == w.length || w[i].isRangeDelete()) {
        Arrays.sort(w, from, i, BY_KEY); // TimSort: stable, so of equal keys the last written is last
        for (int j = from; j < i; j++) {
          if (j + 1 < i && Arrays.equals(w[j].key(), w[j + 1].key())) {
            continue; // superseded within the run
          }
          w[kept++] = w[j];
        }
        if (i < w.length) {
          w[kept++] = w[i];
        }
        from = i + 1;
      }
    }
    return kept == w.length ? w : Arrays.copyOf(w, kept);
  }

  @Override
  public void syncWal() {
    Lock l = readLock();
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      throw new StoreException("fsync of the write-ahead log failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      l.unlock();
    }
  }

  @Override
  public String location() {
    return "RocksDB in " + dir;
  }

  @Override
  public void close() {
    Lock l = handles.writeLock();
    l.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      List<Exception> failures = new ArrayList<>(1);
      if (unloggedWrites) {
        // Writes made without the log exist only in memtables: flush them, or a clean shutdown loses them.
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
          db.flush(flush);
        } catch (RocksDBException e) {
          failures.add(e);
        }
      }
      try {
        db.closeE();
      } catch (RocksDBException e) {
        failures.add(e);
      }
      walSync.close();
      walNoSync.close();
      noWal.close();
      options.close();
      blockCache.close();
      filter.close();
      if (!failures.isEmpty()) {
        StoreException e = new StoreException("closing the store in " + dir + " failed: "
            + failures.get(0).getMessage(), failures.get(0));
        failures.stream().skip(1).forEach(e::addSuppressed);
        throw e;
      }
      log.debug("closed RocksDB in {}", dir);
    } finally {
      l.unlock();
    }
  }

  private Lock readLock() {
    Lock l = handles.readLock();
    l.lock();
    if (closed) {
      l.unlock();
      throw new StoreException("store is closed");
    }
    return l;
  }
}
