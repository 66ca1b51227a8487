package io.switchboard.codec.json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One member name in the tree of declared paths. Every node, declared or only on the way to a declared path, has an
 * {@link #index} so that a scan can notice the member appearing twice. Children are kept as parallel arrays so the
 * scanner can match a member name against their UTF-8 bytes in place, without making a String per member.
 */
final class PathNode {
  static final int NO_SLOT = -1;
  private static final PathNode[] NO_NODES = {};

  final int index;
  final int slot;
  /** Names of the children, as declared. */
  final String[] childNames;
  /** The same names in UTF-8, for matching raw member names byte by byte. */
  final byte[][] childBytes;
  final PathNode[] children;

  PathNode(int index, int slot, Map<String, PathNode> children) {
    this.index = index;
    this.slot = slot;
    int n = children.size();
    this.childNames = new String[n];
    this.childBytes = new byte[n][];
    this.children = n == 0 ? NO_NODES : new PathNode[n];
    int i = 0;
    for (Map.Entry<String, PathNode> e : children.entrySet()) {
      childNames[i] = e.getKey();
      childBytes[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      this.children[i] = e.getValue();
      i++;
    }
  }

  /** Index of the child whose name is the {@code length} decoded chars of {@code name}, or -1. */
  int indexOf(char[] name, int length) {
    for (int i = 0; i < childNames.length; i++) {
      String candidate = childNames[i];
      if (candidate.length() == length && sameChars(candidate, name, length)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameChars(String s, char[] chars, int length) {
    for (int k = 0; k < length; k++) {
      if (s.charAt(k) != chars[k]) {
        return false;
      }
    }
    return true;
  }
}
