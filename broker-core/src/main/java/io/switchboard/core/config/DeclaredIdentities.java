package io.switchboard.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Identities declared in the config file ({@code identities.<kind>: [ {...}, ... ]}): per kind, each record as the
 * JSON its kind's admin API accepts. Kept as text here because only the dialect that owns a kind can validate its
 * records; they are decoded, checked and upserted at every start, before the broker listens, and a bad record stops
 * the start with a {@link ConfigException} naming {@code identities.<kind>[i]}.
 */
public record DeclaredIdentities(Map<String, List<String>> byKind) {

  public DeclaredIdentities {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    byKind.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    byKind = java.util.Collections.unmodifiableMap(copy);
  }

  /** Counts only: records carry secrets, and the effective config is logged at start. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("DeclaredIdentities[");
    byKind.forEach((k, v) -> sb.append(sb.length() > 19 ? ", " : "").append(k).append('=').append(v.size()));
    return sb.append(']').toString();
  }

  public static DeclaredIdentities none() {
    return new DeclaredIdentities(Map.of());
  }

  public Set<String> kinds() {
    return byKind.keySet();
  }

  /** The records declared for {@code kind}, in file order; empty when none. */
  public List<String> records(String kind) {
    return byKind.getOrDefault(kind, List.of());
  }

  /** A copy with {@code records} declared for {@code kind} (added after any already there). */
  public DeclaredIdentities with(String kind, List<String> records) {
    Map<String, List<String>> copy = new LinkedHashMap<>(byKind);
    List<String> all = new java.util.ArrayList<>(copy.getOrDefault(kind, List.of()));
    all.addAll(records);
    copy.put(kind, all);
    return new DeclaredIdentities(copy);
  }
}
