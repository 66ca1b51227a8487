package io.switchboard.codec.json;

import java.util.Map;

/**
 * One member name in the tree of declared paths. Every node, declared or only on the way to a declared path, has an
 * {@link #index} so that a scan can notice the member appearing twice.
 */
final class PathNode {
  static final int NO_SLOT = -1;

  final int index;
  final int slot;
  private final Map<String, PathNode> children;

  PathNode(int index, int slot, Map<String, PathNode> children) {
    this.index = index;
    this.slot = slot;
    this.children = children.isEmpty() ? null : Map.copyOf(children);
  }

  /** The child for member {@code name}, or null when nothing under it was declared. */
  PathNode child(String name) {
    return children == null ? null : children.get(name);
  }
}
