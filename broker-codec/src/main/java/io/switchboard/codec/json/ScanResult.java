package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * What one scan found for each declared path, read by slot ({@link JsonPaths#slot}). One per connection, reused:
 * every scan starts by clearing it, so it holds no per-frame allocation beyond the Strings a caller asks for. Not
 * thread-safe. Byte offsets are relative to the scanned buffer's {@code readerIndex}; after a failed scan the
 * contents are meaningless.
 *
 * <p>Clearing is O(1): each slot, each optional part of a slot (long, text, last member, cached String) and each path
 * node carries the number of the scan that wrote it, and only marks equal to the current scan count.
 */
public final class ScanResult {
  /** Returned by offset accessors when there is nothing to report. */
  public static final int NONE = -1;

  private final JsonPaths paths;
  private final JsonKind[] kinds;
  private final int[] starts;
  private final int[] ends;
  private final long[] longs;
  private final char[][] texts;
  private final int[] textLengths;
  private final String[] textStrings;
  /** Per slot, the {@link #textView} made on first use (the array too: idle connections hold results). */
  private TextView[] views;
  private final char[][] lastNameChars;
  private final int[] lastNameLengths;
  private final String[] lastNames;
  private final int[] lastStarts;
  private final int[] lastCommas;
  /** Per slot: the scan that recorded it; the slot is present only when this equals {@link #scanNumber}. */
  private final int[] recordedIn;
  /** Per slot, the scan in which each optional part was recorded: a long, text, text too long, last member. */
  private final int[] longIn;
  private final int[] textIn;
  private final int[] tooLongIn;
  private final int[] lastIn;
  /** Per slot, the scan whose text / last member name the cached String was made from. */
  private final int[] stringIn;
  private final int[] lastNameIn;
  /** Per path node: the scan in which the member was met. */
  private final int[] seenIn;
  private int scanNumber;

  ScanResult(JsonPaths paths) {
    this.paths = paths;
    int n = paths.size();
    kinds = new JsonKind[n];
    starts = new int[n];
    ends = new int[n];
    longs = new long[n];
    texts = new char[n][];
    textLengths = new int[n];
    textStrings = new String[n];
    lastNameChars = new char[n][];
    lastNameLengths = new int[n];
    lastNames = new String[n];
    lastStarts = new int[n];
    lastCommas = new int[n];
    recordedIn = new int[n];
    longIn = new int[n];
    textIn = new int[n];
    tooLongIn = new int[n];
    lastIn = new int[n];
    stringIn = new int[n];
    lastNameIn = new int[n];
    seenIn = new int[paths.nodeCount()];
    reset();
  }

  public JsonPaths paths() {
    return paths;
  }

  public boolean present(int slot) {
    return recordedIn[slot] == scanNumber;
  }

  /** The value's kind, or null when the path was absent. */
  public JsonKind kind(int slot) {
    return present(slot) ? kinds[slot] : null;
  }

  /** Offset of the value's first byte ({@code {}, {@code "}, digit...), or {@link #NONE}. */
  public int start(int slot) {
    return present(slot) ? starts[slot] : NONE;
  }

  /** Offset just past the value's last byte (for an object, past its matching {@code }}), or {@link #NONE}. */
  public int end(int slot) {
    return present(slot) ? ends[slot] : NONE;
  }

  /** Byte length of the value, or 0 when absent. */
  public int length(int slot) {
    return present(slot) ? ends[slot] - starts[slot] : 0;
  }

  /**
   * The value's exact bytes as a slice of {@code frame} (the buffer that was scanned): no copy, not retained,
   * valid while {@code frame} is. Null when absent.
   */
  public ByteBuf span(ByteBuf frame, int slot) {
    return present(slot) ? frame.slice(frame.readerIndex() + starts[slot], length(slot)) : null;
  }

  /** Whether the value is an integer that fits a long. */
  public boolean isLong(int slot) {
    return longIn[slot] == scanNumber;
  }

  /** The integer value; check {@link #isLong} first. */
  public long longValue(int slot) {
    if (!isLong(slot)) {
      throw new IllegalStateException(paths.path(slot) + " is not an integer that fits a long");
    }
    return longs[slot];
  }

  /**
   * The decoded text of a string or number on a path declared with {@link JsonPaths.Builder#text}, made into a
   * String on first call; null when absent, not a string or number, not declared for text, or too long.
   */
  public String text(int slot) {
    if (textIn[slot] != scanNumber) {
      return null;
    }
    if (stringIn[slot] != scanNumber) {
      textStrings[slot] = new String(texts[slot], 0, textLengths[slot]);
      stringIn[slot] = scanNumber;
    }
    return textStrings[slot];
  }

  /**
   * The same text as {@link #text}, as a view of the result's own buffer rather than a new String: for text that is
   * only read once, such as a signature to decode. Valid until the next scan with this result; null when
   * {@link #text} would be.
   */
  public CharSequence textView(int slot) {
    if (textIn[slot] != scanNumber) {
      return null;
    }
    if (views == null) {
      views = new TextView[kinds.length];
    }
    TextView v = views[slot];
    if (v == null) {
      v = new TextView(slot);
      views[slot] = v;
    }
    return v;
  }

  /** A slot's decoded text in place; see {@link #textView}. */
  private final class TextView implements CharSequence {
    private final int slot;

    TextView(int slot) {
      this.slot = slot;
    }

    @Override
    public int length() {
      return textLengths[slot];
    }

    @Override
    public char charAt(int index) {
      if (index < 0 || index >= textLengths[slot]) {
        throw new IndexOutOfBoundsException(index);
      }
      return texts[slot][index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return toString().subSequence(start, end);
    }

    @Override
    public String toString() {
      return new String(texts[slot], 0, textLengths[slot]);
    }
  }

  /** Whether {@link #text} equals {@code expected}, without making a String. */
  public boolean textEquals(int slot, String expected) {
    int len = textIn[slot] == scanNumber ? textLengths[slot] : NONE;
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
    return tooLongIn[slot] == scanNumber;
  }

  /** For an object on a path declared with {@link JsonPaths.Builder#lastMember}: its last member's name, or null. */
  public String lastMemberName(int slot) {
    if (lastIn[slot] != scanNumber) {
      return null;
    }
    if (lastNameIn[slot] != scanNumber) {
      lastNames[slot] = new String(lastNameChars[slot], 0, lastNameLengths[slot]);
      lastNameIn[slot] = scanNumber;
    }
    return lastNames[slot];
  }

  /** Offset of the opening quote of the last member's name, or {@link #NONE}. */
  public int lastMemberStart(int slot) {
    return lastIn[slot] == scanNumber ? lastStarts[slot] : NONE;
  }

  /**
   * Offset of the comma before the last member, or {@link #NONE} when it is the only member. The object without
   * its last member is the bytes from {@link #start} up to this comma, followed by {@code }}.
   */
  public int lastMemberComma(int slot) {
    return lastIn[slot] == scanNumber ? lastCommas[slot] : NONE;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ScanResult{");
    for (int i = 0; i < kinds.length; i++) {
      if (present(i)) {
        sb.append(paths.path(i)).append('=').append(kinds[i]).append('[').append(starts[i]).append(',')
            .append(ends[i]).append(") ");
      }
    }
    return sb.append('}').toString();
  }

  // ---- recording, by the scan ----

  /** Starts a new scan: every slot and node written by an earlier one stops counting. */
  void reset() {
    if (++scanNumber == 0) { // wrapped: a stale mark could now read as current
      for (int[] marks : new int[][] {recordedIn, longIn, textIn, tooLongIn, lastIn, stringIn, lastNameIn, seenIn}) {
        Arrays.fill(marks, 0);
      }
      scanNumber = 1;
    }
  }

  /** Marks a member as met; false when it was already met in this scan (a duplicate). */
  boolean markSeen(PathNode node) {
    if (seenIn[node.index] == scanNumber) {
      return false;
    }
    seenIn[node.index] = scanNumber;
    return true;
  }

  /** Records a slot's value (once per scan: its node is met once); its optional parts carry their own marks. */
  void recordValue(int slot, JsonKind kind, int start, int end) {
    recordedIn[slot] = scanNumber;
    kinds[slot] = kind;
    starts[slot] = start;
    ends[slot] = end;
  }

  void recordEnd(int slot, int end) {
    ends[slot] = end;
  }

  void recordLong(int slot, long value) {
    longs[slot] = value;
    longIn[slot] = scanNumber;
  }

  /**
   * The buffer a string or number on a text path is decoded into (its declared cap in size, made on first use and
   * kept), or null when the path did not ask for text. The scan writes at most its length and then calls
   * {@link #recordTextLength} with the full decoded length.
   */
  char[] textBuffer(int slot) {
    int cap = paths.maxTextChars(slot);
    if (cap == 0) {
      return null;
    }
    char[] buf = texts[slot];
    if (buf == null) {
      buf = new char[cap];
      texts[slot] = buf;
    }
    return buf;
  }

  /** The text decoded into {@link #textBuffer} had {@code len} chars (more than the buffer holds: too long). */
  void recordTextLength(int slot, int len) {
    if (len > texts[slot].length) {
      tooLongIn[slot] = scanNumber;
    } else {
      textLengths[slot] = len;
      textIn[slot] = scanNumber;
    }
  }

  /** The last member of a tracked object: its name's opening quote, the comma before it, its decoded name. */
  void recordLastMember(int slot, int nameStart, int comma, char[] name, int nameLength) {
    lastStarts[slot] = nameStart;
    lastCommas[slot] = comma;
    char[] buf = lastNameChars[slot];
    if (buf == null || buf.length < nameLength) {
      buf = new char[Math.max(nameLength, 16)];
      lastNameChars[slot] = buf;
    }
    System.arraycopy(name, 0, buf, 0, nameLength);
    lastNameLengths[slot] = nameLength;
    lastIn[slot] = scanNumber;
  }
}
