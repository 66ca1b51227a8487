package io.switchboard.core.identity;

import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one {@link IdentityKind}, persisted in the store under {@code id/<kind>/<id>} and served from an
 * immutable snapshot that is swapped on change, so hot paths read without locks.
 *
 * <p>Writes are durable before they show: the snapshot changes in the store commit's completion, which the
 * store's single writer runs in commit order.
 *
 * @param <T> the record type
 */
public final class IdentityRegistry<T> {
  private static final Logger log = LoggerFactory.getLogger(IdentityRegistry.class);

  /** Result of a write. */
  public enum Outcome { CREATED, REPLACED, DELETED, EXISTS, NOT_FOUND }

  private final IdentityKind<T> kind;
  private final Store store;
  private final List<Consumer<Change<T>>> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, T> snapshot = Map.of();

  /** A change seen by listeners: {@code before} or {@code after} is null on create and delete. */
  public record Change<T>(String id, T before, T after) {}

  IdentityRegistry(IdentityKind<T> kind, Store store) {
    this.kind = kind;
    this.store = store;
    load();
  }

  public IdentityKind<T> kind() {
    return kind;
  }

  private byte[] key(String id) {
    return Keys.of("id", kind.name(), id);
  }

  private void load() {
    Map<String, T> m = new LinkedHashMap<>();
    store.scanPrefix(Keys.utf8("id/" + kind.name() + "/"), false, (k, v) -> {
      try {
        T rec = kind.decode(v);
        m.put(kind.idOf(rec), rec);
      } catch (IllegalArgumentException e) {
        log.error("stored {} record {} is invalid and was skipped: {}", kind.name(), Keys.printable(k), e.getMessage());
      }
      return true;
    });
    snapshot = Collections.unmodifiableMap(m);
  }

  /** The record with {@code id}, or {@code null}. Lock-free. */
  public T get(String id) {
    return snapshot.get(id);
  }

  /** Every record, in id insertion order. Lock-free. */
  public Collection<T> all() {
    return snapshot.values();
  }

  public int size() {
    return snapshot.size();
  }

  /** Calls {@code listener} after each change, on the store's writer thread. */
  public void onChange(Consumer<Change<T>> listener) {
    listeners.add(listener);
  }

  /** Creates {@code record}; {@link Outcome#EXISTS} if its id is taken. */
  public CompletableFuture<Outcome> create(T record) {
    String id = kind.idOf(record);
    byte[] key = key(id);
    return store.commit(new WriteBatch().requireAbsent(key).put(key, kind.encode(record)))
        .thenApply(r -> {
          if (!r.isCommitted()) {
            return Outcome.EXISTS;
          }
          swap(id, record);
          return Outcome.CREATED;
        });
  }

  /** Creates or replaces {@code record}. */
  public CompletableFuture<Outcome> put(T record) {
    String id = kind.idOf(record);
    return store.put(key(id), kind.encode(record)).thenApply(r -> swap(id, record) == null
        ? Outcome.CREATED : Outcome.REPLACED);
  }

  /** Replaces {@code record} only if it exists. */
  public CompletableFuture<Outcome> replace(T record) {
    String id = kind.idOf(record);
    T current = snapshot.get(id);
    if (current == null) {
      return CompletableFuture.completedFuture(Outcome.NOT_FOUND);
    }
    byte[] key = key(id);
    return store.commit(new WriteBatch().require(key, kind.encode(current)).put(key, kind.encode(record)))
        .thenCompose(r -> {
          if (r.isCommitted()) {
            swap(id, record);
            return CompletableFuture.completedFuture(Outcome.REPLACED);
          }
          return replace(record); // changed meanwhile: retry against the new state
        });
  }

  /** Deletes the record with {@code id}. */
  public CompletableFuture<Outcome> delete(String id) {
    if (!snapshot.containsKey(id)) {
      return CompletableFuture.completedFuture(Outcome.NOT_FOUND);
    }
    return store.delete(key(id)).thenApply(r -> swap(id, null) == null ? Outcome.NOT_FOUND : Outcome.DELETED);
  }

  /** Upserts records declared in the config file; re-applied at every start. */
  public CompletableFuture<Void> declare(List<T> records) {
    List<CompletableFuture<Outcome>> all = new ArrayList<>();
    for (T r : records) {
      T current = snapshot.get(kind.idOf(r));
      if (current == null || !java.util.Arrays.equals(kind.encode(current), kind.encode(r))) {
        all.add(put(r));
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private synchronized T swap(String id, T record) {
    Map<String, T> next = new LinkedHashMap<>(snapshot);
    T before = record == null ? next.remove(id) : next.put(id, record);
    snapshot = Collections.unmodifiableMap(next);
    Change<T> change = new Change<>(id, before, record);
    for (Consumer<Change<T>> l : listeners) {
      try {
        l.accept(change);
      } catch (RuntimeException e) {
        log.warn("{} change listener failed", kind.name(), e);
      }
    }
    return before;
  }
}
