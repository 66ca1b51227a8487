package io.switchboard.core.identity;

import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.DeclaredIdentities;
import io.switchboard.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The broker's identity registries, one per kind, created (and loaded from the store) on first use. */
public final class Identities {
  private final Store store;
  private final Map<String, IdentityRegistry<?>> registries = new ConcurrentHashMap<>();

  public Identities(Store store) {
    this.store = store;
  }

  /** The registry of {@code kind}. */
  @SuppressWarnings("unchecked")
  public <T> IdentityRegistry<T> registry(IdentityKind<T> kind) {
    return (IdentityRegistry<T>) registries.computeIfAbsent(kind.name(), n -> new IdentityRegistry<>(kind, store));
  }

  /** The registry named {@code kind}, or {@code null} if no dialect registered it. */
  public IdentityRegistry<?> find(String kind) {
    return registries.get(kind);
  }

  /**
   * Decodes and upserts the identities declared in the config file into the registries dialects have created.
   * Call once at start, after every dialect registered its kinds and before listening.
   *
   * @throws ConfigException naming {@code identities.<kind>} for a kind no dialect serves, or
   *     {@code identities.<kind>[i]} for a record its kind rejects
   */
  public CompletableFuture<Void> applyDeclared(DeclaredIdentities declared) {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (String kind : declared.kinds()) {
      IdentityRegistry<?> registry = registries.get(kind);
      if (registry == null) {
        throw new ConfigException("identities." + kind, "no dialect serves this kind (served: "
            + String.join(", ", new TreeSet<>(registries.keySet())) + ")");
      }
      writes.add(declare(registry, kind, declared.records(kind)));
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  private static <T> CompletableFuture<Void> declare(IdentityRegistry<T> registry, String kind, List<String> json) {
    List<T> records = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < json.size(); i++) {
      T rec;
      try {
        rec = registry.kind().decode(json.get(i).getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("identities." + kind + "[" + i + "]", e.getMessage());
      }
      if (!ids.add(registry.kind().idOf(rec))) {
        throw new ConfigException("identities." + kind + "[" + i + "]",
            "declares id " + registry.kind().idOf(rec) + " a second time");
      }
      records.add(rec);
    }
    return registry.declare(records);
  }

  public Collection<IdentityRegistry<?>> all() {
    return registries.values();
  }
}
