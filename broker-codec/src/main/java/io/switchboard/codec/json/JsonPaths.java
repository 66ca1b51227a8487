package io.switchboard.codec.json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dotted member paths a dialect wants from its frames ({@code payload}, {@code payload.createdAt}, ...),
 * declared once at startup. Immutable and thread-safe; each path gets an int slot, which is how a
 * {@link ScanResult} is read without hashing a name per frame. Paths go through objects only: array contents are
 * skipped.
 *
 * <p>A member on a declared path, or on the way to one, that appears twice in its object fails the scan with
 * {@link JsonScanException.Reason#DUPLICATE_MEMBER}: a reader must never have to guess which copy counts (devices
 * §3.2 requires {@code header}, {@code payload} and {@code signature} at most once). Undeclared members may repeat.
 */
public final class JsonPaths {
  private final PathNode root;
  private final String[] paths;
  private final int[] maxTextChars;
  private final boolean[] trackLastMember;
  private final int nodeCount;

  private JsonPaths(PathNode root, String[] paths, int[] maxTextChars, boolean[] trackLastMember, int nodeCount) {
    this.root = root;
    this.paths = paths;
    this.maxTextChars = maxTextChars;
    this.trackLastMember = trackLastMember;
    this.nodeCount = nodeCount;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The slot of a declared {@code path}; look slots up once and keep them in constants. */
  public int slot(String path) {
    for (int i = 0; i < paths.length; i++) {
      if (paths[i].equals(path)) {
        return i;
      }
    }
    throw new IllegalArgumentException("path not declared: " + path);
  }

  public String path(int slot) {
    return paths[slot];
  }

  /** Number of declared paths (slots are 0 until this). */
  public int size() {
    return paths.length;
  }

  /** A fresh, reusable result for one connection (not thread-safe). */
  public ScanResult newResult() {
    return new ScanResult(this);
  }

  PathNode root() {
    return root;
  }

  int nodeCount() {
    return nodeCount;
  }

  int maxTextChars(int slot) {
    return maxTextChars[slot];
  }

  boolean tracksLastMember(int slot) {
    return trackLastMember[slot];
  }

  /** Declares paths; the same path declared twice keeps the widest options. */
  public static final class Builder {
    private final Map<String, Decl> decls = new LinkedHashMap<>();

    private Builder() {}

    /** A path whose presence, kind, byte span and (for integers) long value are recorded. */
    public Builder field(String path) {
      decl(path);
      return this;
    }

    /**
     * Like {@link #field}, and the decoded text of a string or number value is kept when it has at most
     * {@code maxChars} chars (into a per-result buffer, made a String only when asked).
     */
    public Builder text(String path, int maxChars) {
      if (maxChars < 1) {
        throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
      }
      Decl d = decl(path);
      d.maxTextChars = Math.max(d.maxTextChars, maxChars);
      return this;
    }

    /**
     * Like {@link #field}, and for an object value the name and byte position of its last member are recorded
     * (with the comma before it), for checks such as "the payload ends with {@code ,"instanceId":...}}".
     */
    public Builder lastMember(String path) {
      decl(path).trackLastMember = true;
      return this;
    }

    public JsonPaths build() {
      String[] paths = decls.keySet().toArray(new String[0]);
      int[] maxText = new int[paths.length];
      boolean[] track = new boolean[paths.length];
      Tree tree = new Tree();
      for (int slot = 0; slot < paths.length; slot++) {
        Decl d = decls.get(paths[slot]);
        maxText[slot] = d.maxTextChars;
        track[slot] = d.trackLastMember;
        tree.add(paths[slot].split("\\."), slot);
      }
      int[] counter = {0};
      PathNode root = tree.freeze(counter);
      return new JsonPaths(root, paths, maxText, track, counter[0]);
    }

    private Decl decl(String path) {
      if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
        throw new IllegalArgumentException("bad path: " + path);
      }
      return decls.computeIfAbsent(path, p -> new Decl());
    }
  }

  private static final class Decl {
    int maxTextChars;
    boolean trackLastMember;
  }

  /** Mutable tree used only while building. */
  private static final class Tree {
    final Map<String, Tree> children = new LinkedHashMap<>();
    int slot = PathNode.NO_SLOT;

    void add(String[] names, int slot) {
      Tree node = this;
      for (String name : names) {
        node = node.children.computeIfAbsent(name, n -> new Tree());
      }
      node.slot = slot;
    }

    PathNode freeze(int[] counter) {
      int index = counter[0]++;
      Map<String, PathNode> frozen = new LinkedHashMap<>();
      for (Map.Entry<String, Tree> child : children.entrySet()) {
        frozen.put(child.getKey(), child.getValue().freeze(counter));
      }
      return new PathNode(index, slot, frozen);
    }
  }
}
