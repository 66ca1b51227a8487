package io.switchboard.core.store;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Process memory, for tests and throwaway brokers: nothing survives the process, so logging and syncing are
 * no-ops. Reads are lock-free; a reader running concurrently with a multi-key write may see part of it (RocksDB
 * readers do not), which is acceptable for a non-durable engine.
 */
final class MemoryEngine implements StorageEngine {
  private final ConcurrentSkipListMap<byte[], byte[]> map = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
  private volatile boolean closed;

  @Override
  public byte[] get(byte[] key) {
    ensureOpen();
    byte[] v = map.get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public void scan(byte[] from, byte[] to, boolean reverse, EntryVisitor visitor) {
    ensureOpen();
    if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
      return;
    }
    NavigableMap<byte[], byte[]> view;
    if (from == null) {
      view = to == null ? map : map.headMap(to, false);
    } else {
      view = to == null ? map.tailMap(from, true) : map.subMap(from, true, to, false);
    }
    if (reverse) {
      view = view.descendingMap();
    }
    for (Map.Entry<byte[], byte[]> e : view.entrySet()) {
      if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
        return;
      }
    }
  }

  @Override
  public void apply(List<RawWrite> writes, boolean walEnabled, boolean sync) {
    ensureOpen();
    for (RawWrite w : writes) {
      if (w.isRangeDelete()) {
        map.subMap(w.key(), true, w.rangeEnd(), false).clear();
      } else if (w.isDelete()) {
        map.remove(w.key());
      } else {
        map.put(w.key(), w.value());
      }
    }
  }

  @Override
  public void syncWal() {
    ensureOpen();
  }

  @Override
  public String location() {
    return "memory";
  }

  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("store is closed");
    }
  }
}
