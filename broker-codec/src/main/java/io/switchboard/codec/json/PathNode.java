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
  /** Per child, {@link #key} of its UTF-8 name: a cheap first test before comparing bytes. */
  final int[] childKeys;
  final PathNode[] children;
  /**
   * Open-addressed table from {@link #key} to child index + 1 (0 = empty), a power of two at least twice the
   * number of children: a member name is looked up with one probe, usually.
   */
  final int[] table;
  final int mask;

  PathNode(int index, int slot, Map<String, PathNode> children) {
    this.index = index;
    this.slot = slot;
    int n = children.size();
    this.childNames = new String[n];
    this.childBytes = new byte[n][];
    this.childKeys = new int[n];
    this.children = n == 0 ? NO_NODES : new PathNode[n];
    int i = 0;
    for (Map.Entry<String, PathNode> e : children.entrySet()) {
      childNames[i] = e.getKey();
      byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
      childBytes[i] = bytes;
      childKeys[i] = bytes.length == 0 ? 0 : key(bytes.length, bytes[0], bytes[bytes.length - 1]);
      this.children[i] = e.getValue();
      i++;
    }
    int size = Integer.highestOneBit(Math.max(1, n) * 2) << 1;
    table = new int[size];
    mask = size - 1;
    for (int k = 0; k < n; k++) {
      int h = bucket(childKeys[k]);
      while (table[h] != 0) {
        h = (h + 1) & mask;
      }
      table[h] = k + 1;
    }
  }

  /** First bucket of {@code key} in {@link #table}; probing goes on at the next ones. */
  int bucket(int key) {
    return (key * 0x9E3779B9 >>> 16) & mask;
  }

  /** Length, first and last byte of a name, packed. */
  static int key(int length, int first, int last) {
    return length << 16 | (first & 0xFF) << 8 | (last & 0xFF);
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
