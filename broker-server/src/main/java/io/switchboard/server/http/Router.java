package io.switchboard.server.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatch table: exact paths, then the longest matching prefix. Built once at start; read-only afterwards,
 * so lookups need no locks.
 */
public final class Router {
  private final Map<String, Route> exact;
  private final List<Route> prefixes;

  private Router(Map<String, Route> exact, List<Route> prefixes) {
    this.exact = exact;
    this.prefixes = prefixes;
  }

  /** A route: who owns it (dialect name, for metrics and logs) and its handler. */
  public record Route(String path, boolean prefix, String owner, HttpHandler handler) {}

  /** The route for {@code path}, or {@code null}. */
  public Route find(String path) {
    Route r = exact.get(path);
    if (r != null) {
      return r;
    }
    for (Route p : prefixes) {
      if (path.startsWith(p.path())) {
        return p;
      }
    }
    return null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects routes; a path may be claimed once. */
  public static final class Builder {
    private final Map<String, Route> exact = new HashMap<>();
    private final List<Route> prefixes = new ArrayList<>();

    private Builder() {}

    /** Routes exactly {@code path}. */
    public Builder exact(String path, String owner, HttpHandler handler) {
      if (exact.putIfAbsent(path, new Route(path, false, owner, handler)) != null) {
        throw new IllegalStateException("route " + path + " claimed twice");
      }
      return this;
    }

    /** Routes every path starting with {@code prefix} (which should end with {@code /}). */
    public Builder prefix(String prefix, String owner, HttpHandler handler) {
      for (Route r : prefixes) {
        if (r.path().equals(prefix)) {
          throw new IllegalStateException("route " + prefix + "* claimed twice");
        }
      }
      prefixes.add(new Route(prefix, true, owner, handler));
      return this;
    }

    /** A copy of the routes collected so far, for a listener that maps some paths differently. */
    public Builder copy() {
      Builder b = new Builder();
      b.exact.putAll(exact);
      b.prefixes.addAll(prefixes);
      return b;
    }

    public Router build() {
      List<Route> sorted = new ArrayList<>(prefixes);
      sorted.sort(Comparator.comparingInt((Route r) -> r.path().length()).reversed());
      return new Router(Map.copyOf(exact), List.copyOf(sorted));
    }
  }
}
