package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * What one scan found for each declared path, read by slot ({@link JsonPaths#slot}). One per connection, reused:
 * every scan starts by clearing it, so it holds no per-frame allocation beyond the Strings a caller asks for. Not
 * thread-safe. Byte offsets are relative to the scanned buffer's {@code readerIndex}; after a failed scan the
 * contents are meaningless.
 */
public final class ScanResult {
  /** Returned by offset accessors when there is nothing to report. */
  public static final int NONE = -1;

  private final JsonPaths paths;
  private final JsonKind[] kinds;
  private final int[] starts;
  private final int[] ends;
  private final long[] longs;
  private final boolean[] isLong;
  private final char[][] texts;
  private final int[] textLengths;
  private final boolean[] textTooLong;
  private final String[] textStrings;
  private final String[] lastNames;
  private final int[] lastNameEnds;
  private final int[] lastStarts;
  private final int[] lastCommas;
  private final boolean[] seenNodes;
  private final PathWalk walk = new PathWalk();

  ScanResult(JsonPaths paths) {
    this.paths = paths;
    int n = paths.size();
    kinds = new JsonKind[n];
    starts = new int[n];
    ends = new int[n];
    longs = new long[n];
    isLong = new boolean[n];
    texts = new char[n][];
    textLengths = new int[n];
    textTooLong = new boolean[n];
    textStrings = new String[n];
    lastNames = new String[n];
    lastNameEnds = new int[n];
    lastStarts = new int[n];
    lastCommas = new int[n];
    seenNodes = new boolean[paths.nodeCount()];
    reset();
  }

  public JsonPaths paths() {
    return paths;
  }

  public boolean present(int slot) {
    return kinds[slot] != null;
  }

  /** The value's kind, or null when the path was absent. */
  public JsonKind kind(int slot) {
    return kinds[slot];
  }

  /** Offset of the value's first byte ({@code {}, {@code "}, digit...), or {@link #NONE}. */
  public int start(int slot) {
    return starts[slot];
  }

  /** Offset just past the value's last byte (for an object, past its matching {@code }}), or {@link #NONE}. */
  public int end(int slot) {
    return ends[slot];
  }

  /** Byte length of the value, or 0 when absent. */
  public int length(int slot) {
    return kinds[slot] == null ? 0 : ends[slot] - starts[slot];
  }

  /**
   * The value's exact bytes as a slice of {@code frame} (the buffer that was scanned): no copy, not retained,
   * valid while {@code frame} is. Null when absent.
   */
  public ByteBuf span(ByteBuf frame, int slot) {
    return kinds[slot] == null ? null : frame.slice(frame.readerIndex() + starts[slot], length(slot));
  }

  /** Whether the value is an integer that fits a long. */
  public boolean isLong(int slot) {
    return isLong[slot];
  }

  /** The integer value; check {@link #isLong} first. */
  public long longValue(int slot) {
    if (!isLong[slot]) {
      throw new IllegalStateException(paths.path(slot) + " is not an integer that fits a long");
    }
    return longs[slot];
  }

  /**
   * The decoded text of a string or number on a path declared with {@link JsonPaths.Builder#text}, made into a
   * String on first call; null when absent, not a string or number, not declared for text, or too long.
   */
  public String text(int slot) {
    String s = textStrings[slot];
    if (s == null && textLengths[slot] >= 0) {
      s = new String(texts[slot], 0, textLengths[slot]);
      textStrings[slot] = s;
    }
    return s;
  }

  /** Whether {@link #text} equals {@code expected}, without making a String. */
  public boolean textEquals(int slot, String expected) {
    int len = textLengths[slot];
    if (len < 0 || len != expected.length()) {
      return false;
    }
    char[] chars = texts[slot];
    for (int i = 0; i < len; i++) {
      if (chars[i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a string or number was present but longer than the declared text cap (so {@link #text} is null). */
  public boolean textTooLong(int slot) {
    return textTooLong[slot];
  }

  /** For an object on a path declared with {@link JsonPaths.Builder#lastMember}: its last member's name, or null. */
  public String lastMemberName(int slot) {
    return lastNames[slot];
  }

  /** Offset of the opening quote of the last member's name, or {@link #NONE}. */
  public int lastMemberStart(int slot) {
    return lastStarts[slot];
  }

  /**
   * Offset of the comma before the last member, or {@link #NONE} when it is the only member. The object without
   * its last member is the bytes from {@link #start} up to this comma, followed by {@code }}.
   */
  public int lastMemberComma(int slot) {
    return lastCommas[slot];
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ScanResult{");
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] != null) {
        sb.append(paths.path(i)).append('=').append(kinds[i]).append('[').append(starts[i]).append(',')
            .append(ends[i]).append(") ");
      }
    }
    return sb.append('}').toString();
  }

  // ---- recording, by the scan ----

  void reset() {
    Arrays.fill(kinds, null);
    Arrays.fill(starts, NONE);
    Arrays.fill(ends, NONE);
    Arrays.fill(isLong, false);
    Arrays.fill(textLengths, NONE);
    Arrays.fill(textTooLong, false);
    Arrays.fill(textStrings, null);
    Arrays.fill(lastNames, null);
    Arrays.fill(lastNameEnds, NONE);
    Arrays.fill(lastStarts, NONE);
    Arrays.fill(lastCommas, NONE);
    Arrays.fill(seenNodes, false);
  }

  PathWalk walk() {
    return walk;
  }

  /** Marks a member as met; false when it was already met in this scan (a duplicate). */
  boolean markSeen(PathNode node) {
    if (seenNodes[node.index]) {
      return false;
    }
    seenNodes[node.index] = true;
    return true;
  }

  void recordValue(int slot, JsonKind kind, int start, int end) {
    kinds[slot] = kind;
    starts[slot] = start;
    ends[slot] = end;
  }

  void recordEnd(int slot, int end) {
    ends[slot] = end;
  }

  void recordLong(int slot, long value) {
    longs[slot] = value;
    isLong[slot] = true;
  }

  /** Keeps {@code len} chars of text when the path asked for text and they fit its cap. */
  void recordText(int slot, char[] src, int offset, int len) {
    int cap = paths.maxTextChars(slot);
    if (cap == 0) {
      return;
    }
    if (len > cap) {
      textTooLong[slot] = true;
      return;
    }
    char[] dst = texts[slot];
    if (dst == null) {
      dst = new char[cap];
      texts[slot] = dst;
    }
    System.arraycopy(src, offset, dst, 0, len);
    textLengths[slot] = len;
  }

  boolean wantsText(int slot) {
    return paths.maxTextChars(slot) > 0;
  }

  boolean tracksLastMember(int slot) {
    return paths.tracksLastMember(slot);
  }

  /** A member of a tracked object: its name and the offset just past its name's closing quote. */
  void recordMember(int slot, String name, int nameEnd) {
    lastNames[slot] = name;
    lastNameEnds[slot] = nameEnd;
  }

  int lastMemberNameEnd(int slot) {
    return lastNameEnds[slot];
  }

  void recordLastMember(int slot, int nameStart, int comma) {
    lastStarts[slot] = nameStart;
    lastCommas[slot] = comma;
  }
}
