package io.switchboard.codec.json;

import io.netty.util.internal.PlatformDependent;
import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * The scanner proper: one strict (RFC 8259) pass over the frame's bytes, in place, recording what the declared paths
 * ask for into a {@link ScanResult}. One per result (so per connection), reused; not thread-safe.
 *
 * <p>Reading. Bytes are read with {@link Unsafe}, in place: from a heap buffer's backing array at
 * {@code address} (the array base offset plus the buffer's offset), or from a direct buffer's memory at
 * {@code address}. Every read is at an index the scanner has first checked to be below {@link #end}. The two cases
 * are told apart by {@code array == null} at each read (a predictable branch) rather than by one "mixed"
 * {@code getByte(Object, long)} whose base may be null: C2 fences every such access, which measured twice as slow.
 * The loops that cover most bytes (whitespace, plain runs in strings and names) test once and keep locals.
 *
 * <p>What is refused, and where (the reasons and the order are Jackson 2.23's, which this replaces; probed byte for
 * byte): anything but one object at the top; whitespace other than space, tab, CR and LF; a leading UTF-8 byte order
 * mark is skipped, as Jackson did, and counted in offsets. Strings and names: unescaped control chars, escapes other
 * than {@code \" \\ \/ \b \f \n \r \t \\uXXXX}, and invalid UTF-8 (a stray continuation byte, C0, C1, F5..FF, a
 * truncated sequence, an overlong 3- or 4-byte form, an encoded surrogate, a code point above U+10FFFF). A lone
 * surrogate written as a {@code \\u} escape is accepted in a string value (as one char) but refused in a member
 * name, where a high surrogate must be followed by a {@code \\u} low one, as Jackson did. Numbers: a leading
 * {@code +} or zero, a bare {@code -}, {@code .} or exponent without digits, NaN and Infinity.
 *
 * <p>Limits ({@link JsonScanException.Reason#LIMIT}) are checked where Jackson checked them: depth at the opening
 * bracket; a member name's UTF-8 byte length at its closing quote, before its UTF-8 is validated (a name both too
 * long and invalid is LIMIT), while control chars and bad escapes in it fail at once; a string's decoded length at
 * its closing quote; a number's digits at the end of its integer, fraction and exponent parts and its whole text at
 * its end, also for a number at the top level (otherwise MALFORMED there). Known differences, all in frames refused either way: for names over
 * 512 bytes and strings over about 32K chars Jackson also checked part way, so a frame both over such a limit and
 * broken later in the same token was LIMIT there and is MALFORMED here; and a name over the limit that holds a 0xFF
 * byte was sometimes MALFORMED for Jackson (its name buffer pads quads with 0xFF and then miscounts), always LIMIT
 * here.
 */
final class ByteScan {
  static final Unsafe UNSAFE;
  /** Offset of element 0 of a {@code byte[]}, to read a heap buffer with {@link Unsafe#getByte(Object, long)}. */
  static final long BYTE_ARRAY_BASE;

  static {
    try {
      Field f = Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      UNSAFE = (Unsafe) f.get(null);
      BYTE_ARRAY_BASE = UNSAFE.arrayBaseOffset(byte[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Bytes that a string's fast loop copies as they are: printable ASCII except {@code "} and {@code \}. */
  private static final boolean[] PLAIN = new boolean[256];
  /** Whether {@link #plain} may read eight bytes at any offset. */
  private static final boolean WORDS = PlatformDependent.isUnaligned();
  /** Value of a hex digit, or -1. */
  private static final byte[] HEX = new byte[256];

  static {
    for (int b = 0x20; b < 0x80; b++) {
      PLAIN[b] = b != '"' && b != '\\';
    }
    java.util.Arrays.fill(HEX, (byte) -1);
    for (int d = 0; d < 10; d++) {
      HEX['0' + d] = (byte) d;
    }
    for (int d = 0; d < 6; d++) {
      HEX['a' + d] = (byte) (10 + d);
      HEX['A' + d] = (byte) (10 + d);
    }
  }

  /** A heap frame's backing array, or null for direct memory. */
  private byte[] array;
  private long address;
  private int end;
  private ScanResult result;
  private JsonPaths paths;
  private JsonLimits limits;

  // Per depth (1 is the top-level object).
  /** The object's declared path node, or null (arrays, undeclared objects). */
  private PathNode[] nodes = new PathNode[0];
  /** Slot of the container, or {@link PathNode#NO_SLOT}. */
  private int[] slots = new int[0];
  private boolean[] arrays = new boolean[0];
  /** Whether the object's slot asked for its last member. */
  private boolean[] tracked = new boolean[0];
  /** Offset of the last comma met directly in the container, or {@link ScanResult#NONE}. */
  private int[] commas = new int[0];
  /** In a tracked object: opening quote of the latest member name, and the comma before it. */
  private int[] memberStarts = new int[0];
  private int[] memberCommas = new int[0];
  private int depth;

  /** The path node the value being read belongs to (set by a member name), or null. */
  private PathNode pending;
  /** A member name that took the slow path, decoded: {@link #nameLength} chars, {@link #nameBytes} UTF-8 bytes. */
  private char[] nameChars = new char[0];
  private int nameLength;
  private int nameBytes;
  /**
   * Whether that name held invalid UTF-8. Jackson measured a name (in raw bytes) before it decoded it, so a name
   * both too long and invalid is refused for its length: the caller checks the length first.
   */
  private boolean nameInvalid;
  /** The code point decoded by the last {@link #utf8} call. */
  private int codePoint;

  /**
   * Scans {@code length} bytes at {@code address} in {@code array}, or at memory address {@code address} when
   * {@code array} is null, into {@code result}, which the caller has cleared.
   */
  void scan(ScanResult result, JsonLimits limits, byte[] array, long address, int length) throws JsonScanException {
    int size = limits.maxDepth() + 2;
    if (nodes.length < size) {
      nodes = new PathNode[size];
      slots = new int[size];
      arrays = new boolean[size];
      tracked = new boolean[size];
      commas = new int[size];
      memberStarts = new int[size];
      memberCommas = new int[size];
    }
    this.result = result;
    this.paths = result.paths();
    this.limits = limits;
    this.array = array;
    this.address = address;
    this.end = length;
    try {
      document();
    } finally {
      // Keep nothing reachable between scans: a heap frame's array, the result, path nodes.
      this.array = null;
      this.result = null;
      this.pending = null;
      for (int d = 0; d <= Math.min(depth, nodes.length - 1); d++) {
        nodes[d] = null;
      }
    }
  }

  private int at(int i) {
    byte[] a = array;
    return a != null ? UNSAFE.getByte(a, address + i) : UNSAFE.getByte(address + i);
  }

  /**
   * Past the run of {@link #PLAIN} bytes from {@code j}: the bulk of every string and name. Eight bytes at a time
   * while a whole word is plain (where the platform reads unaligned words), then byte by byte.
   */
  private int plain(int j) {
    int e = end;
    long addr = address;
    byte[] a = array;
    if (a != null) {
      if (WORDS) {
        while (j + 8 <= e && plainWord(UNSAFE.getLong(a, addr + j))) {
          j += 8;
        }
      }
      while (j < e && PLAIN[UNSAFE.getByte(a, addr + j) & 0xFF]) {
        j++;
      }
    } else {
      if (WORDS) {
        while (j + 8 <= e && plainWord(UNSAFE.getLong(addr + j))) {
          j += 8;
        }
      }
      while (j < e && PLAIN[UNSAFE.getByte(addr + j) & 0xFF]) {
        j++;
      }
    }
    return j;
  }

  /** Whether none of the eight bytes is a control char, {@code "}, {@code \} or non-ASCII (SWAR, any byte order). */
  private static boolean plainWord(long w) {
    long high = w & 0x8080808080808080L;
    long control = (w - 0x2020202020202020L) & ~w;
    long q = w ^ 0x2222222222222222L;
    long quote = (q - 0x0101010101010101L) & ~q;
    long b = w ^ 0x5C5C5C5C5C5C5C5CL;
    long backslash = (b - 0x0101010101010101L) & ~b;
    return (high | ((control | quote | backslash) & 0x8080808080808080L)) == 0;
  }

  /** Copies the ASCII bytes {@code [from, to)} as chars into {@code text} from {@code o}, up to its length. */
  private void copyAscii(int from, int to, char[] text, int o) {
    int n = Math.min(to - from, text.length - o);
    long addr = address + from;
    byte[] a = array;
    if (a != null) {
      for (int k = 0; k < n; k++) {
        text[o + k] = (char) UNSAFE.getByte(a, addr + k);
      }
    } else {
      for (int k = 0; k < n; k++) {
        text[o + k] = (char) UNSAFE.getByte(addr + k);
      }
    }
  }

  // ---- structure ----

  private void document() throws JsonScanException {
    depth = 0;
    int i = 0;
    if (at(0) == (byte) 0xEF) {
      if (end < 3 || at(1) != (byte) 0xBB || at(2) != (byte) 0xBF) {
        throw malformed("invalid byte order mark");
      }
      i = 3;
    }
    i = whitespace(i);
    if (i >= end) {
      throw malformed("empty document");
    }
    int top = at(i);
    if (top != '{') {
      if (top == '-' || isDigit(top)) {
        number(i, null); // Jackson read the whole number first: one over the number limit was LIMIT
      }
      throw malformed("top level is not an object");
    }
    i = open(i, paths.root(), false);
    boolean first = true;
    for (;;) {
      // Just after '{', '[' or ',' of the container at depth: a member or a value, or the close of an empty one.
      i = whitespace(i);
      if (i >= end) {
        throw truncated();
      }
      int c = at(i);
      PathNode node = null;
      boolean value = true;
      if (!arrays[depth]) {
        if (c == '"') {
          i = whitespace(member(i));
          if (i >= end) {
            throw truncated();
          }
          if (at(i) != ':') {
            throw unexpected(i, "a colon after a member name");
          }
          i = whitespace(i + 1);
          if (i >= end) {
            throw truncated();
          }
          c = at(i);
          node = pending;
          pending = null;
        } else if (c == '}' && first) {
          value = false;
        } else {
          throw unexpected(i, first ? "a member name or '}'" : "a member name");
        }
      } else if (c == ']' && first) {
        value = false;
      }
      if (value) {
        switch (c) {
          case '{', '[' -> {
            i = open(i, node, c == '[');
            first = true;
            continue;
          }
          case '"' -> i = string(i, node);
          case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> i = number(i, node);
          case 't' -> i = literal(i, node, "true", JsonKind.TRUE);
          case 'f' -> i = literal(i, node, "false", JsonKind.FALSE);
          case 'n' -> i = literal(i, node, "null", JsonKind.NULL);
          default -> throw unexpected(i, "a value");
        }
      } else {
        i = close(i);
        if (depth == 0) {
          finish(i);
          return;
        }
      }
      // After a value: a comma, or closes.
      for (;;) {
        i = whitespace(i);
        if (i >= end) {
          throw truncated();
        }
        c = at(i);
        if (c == ',') {
          commas[depth] = i;
          i++;
          first = false;
          break;
        }
        if (c == (arrays[depth] ? ']' : '}')) {
          i = close(i);
          if (depth == 0) {
            finish(i);
            return;
          }
          continue;
        }
        throw unexpected(i, arrays[depth] ? "',' or ']'" : "',' or '}'");
      }
    }
  }

  private void finish(int i) throws JsonScanException {
    if (whitespace(i) != end) {
      throw malformed("content after the top-level object");
    }
  }

  private int open(int i, PathNode node, boolean array) throws JsonScanException {
    if (++depth > limits.maxDepth()) {
      throw new JsonScanException(JsonScanException.Reason.LIMIT, "nesting deeper than " + limits.maxDepth());
    }
    int slot = node == null ? PathNode.NO_SLOT : node.slot;
    if (slot >= 0) {
      result.recordValue(slot, array ? JsonKind.ARRAY : JsonKind.OBJECT, i, ScanResult.NONE);
    }
    nodes[depth] = array ? null : node;
    slots[depth] = slot;
    arrays[depth] = array;
    tracked[depth] = !array && slot >= 0 && paths.tracksLastMember(slot);
    commas[depth] = ScanResult.NONE;
    memberStarts[depth] = ScanResult.NONE;
    return i + 1;
  }

  private int close(int i) throws JsonScanException {
    int slot = slots[depth];
    if (slot >= 0) {
      result.recordEnd(slot, i + 1);
      if (tracked[depth] && memberStarts[depth] >= 0) {
        decodeName(memberStarts[depth]);
        result.recordLastMember(slot, memberStarts[depth], memberCommas[depth], nameChars, nameLength);
      }
    }
    nodes[depth] = null;
    depth--;
    return i + 1;
  }

  /** A member name whose opening quote is at {@code i}: limits, path matching, duplicates. Returns past its end. */
  private int member(int i) throws JsonScanException {
    int s = i + 1;
    int j = plain(s);
    if (j >= end) {
      throw truncated();
    }
    PathNode parent = nodes[depth];
    int k = -1;
    int after;
    if (at(j) == '"') { // plain ASCII: matched by bytes
      int length = j - s;
      if (length > limits.maxNameChars()) {
        throw nameTooLong();
      }
      if (parent != null) {
        k = childByBytes(parent, s, length);
      }
      after = j + 1;
    } else { // escapes or non-ASCII: decoded, matched by chars
      after = decodeName(i);
      if (nameBytes > limits.maxNameChars()) {
        throw nameTooLong();
      }
      if (nameInvalid) {
        throw malformed("invalid UTF-8 in a member name");
      }
      if (parent != null) {
        k = parent.indexOf(nameChars, nameLength);
      }
    }
    PathNode child = k < 0 ? null : parent.children[k];
    if (child != null && !result.markSeen(child)) {
      throw new JsonScanException(JsonScanException.Reason.DUPLICATE_MEMBER,
          "duplicate member: " + parent.childNames[k]);
    }
    if (tracked[depth]) {
      memberStarts[depth] = i;
      memberCommas[depth] = commas[depth];
    }
    pending = child;
    return after;
  }

  /** Index of the child of {@code parent} named by the {@code length} bytes at {@code s}, or -1. */
  private int childByBytes(PathNode parent, int s, int length) {
    int key = length == 0 ? 0 : PathNode.key(length, at(s), at(s + length - 1));
    int[] table = parent.table;
    for (int h = parent.bucket(key); ; h = (h + 1) & parent.mask) {
      int k = table[h] - 1;
      if (k < 0) {
        return -1;
      }
      if (parent.childKeys[k] == key && parent.childBytes[k].length == length && sameBytes(parent.childBytes[k], s)) {
        return k;
      }
    }
  }

  /** Whether the bytes at {@code s} are {@code name} (whose length, first and last byte already matched). */
  private boolean sameBytes(byte[] name, int s) {
    int n = name.length - 1;
    long addr = address + s;
    byte[] a = array;
    int b = 1;
    if (a != null) {
      for (; WORDS && b + 8 <= n; b += 8) {
        if (UNSAFE.getLong(a, addr + b) != UNSAFE.getLong(name, BYTE_ARRAY_BASE + b)) {
          return false;
        }
      }
      for (; b < n; b++) {
        if (UNSAFE.getByte(a, addr + b) != name[b]) {
          return false;
        }
      }
    } else {
      for (; WORDS && b + 8 <= n; b += 8) {
        if (UNSAFE.getLong(addr + b) != UNSAFE.getLong(name, BYTE_ARRAY_BASE + b)) {
          return false;
        }
      }
      for (; b < n; b++) {
        if (UNSAFE.getByte(addr + b) != name[b]) {
          return false;
        }
      }
    }
    return true;
  }

  private JsonScanException nameTooLong() {
    return new JsonScanException(JsonScanException.Reason.LIMIT, "member name longer than " + limits.maxNameChars());
  }

  /**
   * Decodes and validates the member name whose opening quote is at {@code i} into {@link #nameChars} (chars past
   * its capacity are counted, not kept: such a name is over the limit). Returns the offset past its closing quote.
   */
  private int decodeName(int i) throws JsonScanException {
    if (nameChars.length < limits.maxNameChars()) { // made on first need: most frames never take this path
      nameChars = new char[limits.maxNameChars()];
    }
    char[] out = nameChars;
    int n = 0;
    long bytes = 0;
    int j = i + 1;
    nameInvalid = false;
    for (;;) {
      if (j >= end) {
        throw truncated();
      }
      int b = at(j) & 0xFF;
      if (b == '"') {
        nameLength = Math.min(n, out.length);
        nameBytes = (int) Math.min(bytes, Integer.MAX_VALUE);
        return j + 1;
      }
      if (PLAIN[b]) {
        if (n < out.length) {
          out[n] = (char) b;
        }
        n++;
        bytes++;
        j++;
      } else if (b == '\\') {
        int c = escape(j);
        if (c == 'u') {
          c = hex4(j + 2);
          j += 6;
          if (Character.isHighSurrogate((char) c)) {
            if (j + 1 >= end || at(j) != '\\' || at(j + 1) != 'u') {
              throw malformed("broken surrogate pair in a member name");
            }
            int low = hex4(j + 2);
            if (!Character.isLowSurrogate((char) low)) {
              throw malformed("broken surrogate pair in a member name");
            }
            j += 6;
            if (n < out.length) {
              out[n] = (char) c;
            }
            if (n + 1 < out.length) {
              out[n + 1] = (char) low;
            }
            n += 2;
            bytes += 4;
            continue;
          }
          if (Character.isLowSurrogate((char) c)) {
            throw malformed("unexpected low surrogate in a member name");
          }
          bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        } else {
          j += 2;
          bytes++;
        }
        if (n < out.length) {
          out[n] = (char) c;
        }
        n++;
      } else if (b < 0x20) {
        throw malformed("unescaped control character in a member name");
      } else {
        int after = decodeUtf8(j);
        if (after < 0) { // counted as one raw byte, refused once the name's length has been checked
          nameInvalid = true;
          bytes++;
          j++;
          continue;
        }
        bytes += after - j;
        j = after;
        if (codePoint >= 0x10000) {
          if (n < out.length) {
            out[n] = Character.highSurrogate(codePoint);
          }
          if (n + 1 < out.length) {
            out[n + 1] = Character.lowSurrogate(codePoint);
          }
          n += 2;
        } else {
          if (n < out.length) {
            out[n] = (char) codePoint;
          }
          n++;
        }
      }
    }
  }

  // ---- values ----

  /**
   * A string whose opening quote is at {@code i}; decoded into its slot's text buffer when asked. The common case
   * (printable ASCII, no escapes) is kept small enough for C2 to inline; anything else goes to {@link #stringSlow}.
   */
  private int string(int i, PathNode node) throws JsonScanException {
    int j = plain(i + 1);
    if (j >= end || at(j) != '"') {
      return stringSlow(i, node);
    }
    int n = j - i - 1;
    if (n > limits.maxStringChars()) {
      throw stringTooLong();
    }
    if (node != null && node.slot >= 0) {
      recordPlainString(node.slot, i, j, n);
    }
    return j + 1;
  }

  private void recordPlainString(int slot, int i, int close, int n) {
    result.recordValue(slot, JsonKind.STRING, i, close + 1);
    char[] text = result.textBuffer(slot);
    if (text != null && n > 0) {
      copyAscii(i + 1, close, text, 0);
      result.recordTextLength(slot, n);
    }
  }

  private JsonScanException stringTooLong() {
    return new JsonScanException(JsonScanException.Reason.LIMIT, "string longer than " + limits.maxStringChars());
  }

  /** {@link #string} with escapes, non-ASCII or an error: decodes char by char from the start. */
  private int stringSlow(int i, PathNode node) throws JsonScanException {
    int slot = node == null ? PathNode.NO_SLOT : node.slot;
    char[] text = slot >= 0 ? result.textBuffer(slot) : null;
    int cap = text == null ? 0 : text.length;
    int n = 0;
    int j = i + 1;
    for (;;) {
      int run = j;
      j = plain(j);
      if (text != null && n < cap) {
        copyAscii(run, j, text, n);
      }
      n += j - run;
      if (j >= end) {
        throw truncated();
      }
      int b = at(j) & 0xFF;
      if (b == '"') {
        break;
      }
      int c;
      if (b == '\\') {
        c = escape(j);
        if (c == 'u') {
          c = hex4(j + 2);
          j += 6;
        } else {
          j += 2;
        }
      } else if (b < 0x20) {
        throw malformed("unescaped control character in a string");
      } else {
        j = utf8(j);
        c = codePoint;
        if (c >= 0x10000) {
          if (n < cap) {
            text[n] = Character.highSurrogate(c);
          }
          n++;
          c = Character.lowSurrogate(c);
        }
      }
      if (n < cap) {
        text[n] = (char) c;
      }
      n++;
    }
    if (n > limits.maxStringChars()) {
      throw stringTooLong();
    }
    if (slot >= 0) {
      result.recordValue(slot, JsonKind.STRING, i, j + 1);
      if (text != null && n > 0) {
        result.recordTextLength(slot, n);
      }
    }
    return j + 1;
  }

  /**
   * The escape whose backslash is at {@code j}: the char it stands for, or {@code 'u'} for {@code \\uXXXX} (which
   * the caller reads with {@link #hex4}).
   */
  private int escape(int j) throws JsonScanException {
    if (j + 1 >= end) {
      throw truncated();
    }
    int e = at(j + 1);
    return switch (e) {
      case '"', '\\', '/', 'u' -> e;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      default -> throw malformed("unrecognized character escape");
    };
  }

  /** The four hex digits at {@code j}. */
  private int hex4(int j) throws JsonScanException {
    if (j + 4 > end) {
      throw truncated();
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = HEX[at(j + k) & 0xFF];
      if (d < 0) {
        throw malformed("expected a hex digit in a character escape");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** {@link #decodeUtf8}, refusing an invalid sequence at once (as in string values). */
  private int utf8(int j) throws JsonScanException {
    int after = decodeUtf8(j);
    if (after < 0) {
      throw after == TRUNCATED ? truncated() : malformed("invalid UTF-8");
    }
    return after;
  }

  private static final int INVALID = -1;
  private static final int TRUNCATED = -2;

  /**
   * Decodes the UTF-8 sequence whose first byte (not ASCII) is at {@code j} into {@link #codePoint} and returns the
   * offset past it; {@link #INVALID} or {@link #TRUNCATED} (by the end of input) when it is not strict RFC 3629
   * UTF-8 (as Jackson 2.23 checks it: no overlong forms, no surrogates, nothing above U+10FFFF).
   */
  private int decodeUtf8(int j) {
    int b0 = at(j) & 0xFF;
    int need;
    int min;
    int max = 0xBF;
    int cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
      min = 0x80;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2;
      min = b0 == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
      max = b0 == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3;
      min = b0 == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
      max = b0 == 0xF4 ? 0x8F : 0xBF; // F4 90.. would pass U+10FFFF
      cp = b0 & 0x07;
    } else {
      return INVALID;
    }
    if (j + need >= end) {
      return TRUNCATED;
    }
    int b1 = at(j + 1) & 0xFF;
    if (b1 < min || b1 > max) {
      return INVALID;
    }
    cp = (cp << 6) | (b1 & 0x3F);
    for (int k = 2; k <= need; k++) {
      int b = at(j + k) & 0xFF;
      if ((b & 0xC0) != 0x80) {
        return INVALID;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    codePoint = cp;
    return j + need + 1;
  }

  /**
   * A number starting at {@code i}. The common case, an integer not starting with 0 and not followed by a fraction
   * or exponent, is kept small enough to inline; anything else goes to {@link #numberSlow}, which applies every rule.
   */
  private int number(int i, PathNode node) throws JsonScanException {
    int j = at(i) == '-' ? i + 1 : i;
    if (j < end) {
      int d = at(j);
      if (d >= '1' && d <= '9') {
        int k = digits(j + 1);
        if (k < end) {
          int c = at(k);
          if (c != '.' && c != 'e' && c != 'E' && k - i <= limits.maxNumberChars()) {
            if (node != null && node.slot >= 0) {
              recordNumber(node.slot, i, k, true);
            }
            return k;
          }
        }
      }
    }
    return numberSlow(i, node);
  }

  private void recordNumber(int slot, int i, int j, boolean integer) {
    result.recordValue(slot, integer ? JsonKind.INT : JsonKind.FLOAT, i, j);
    if (integer) {
      parseLong(i, j, slot);
    }
    char[] text = result.textBuffer(slot);
    if (text != null) {
      int length = j - i;
      for (int k = 0; k < length && k < text.length; k++) {
        text[k] = (char) at(i + k);
      }
      result.recordTextLength(slot, length);
    }
  }

  private int numberSlow(int i, PathNode node) throws JsonScanException {
    int max = limits.maxNumberChars();
    int j = i;
    if (at(j) == '-') {
      j++;
      if (j >= end) {
        throw truncated();
      }
      if (!isDigit(at(j))) {
        throw malformed("expected a digit after '-'");
      }
    }
    int intStart = j;
    if (at(j) == '0') {
      j++;
      if (j < end && isDigit(at(j))) {
        throw malformed("leading zeroes are not allowed");
      }
    } else {
      j = digits(j);
    }
    int digits = j - intStart;
    if (digits > max) {
      throw numberTooLong();
    }
    boolean integer = true;
    if (j < end && at(j) == '.') {
      int from = ++j;
      j = digits(j);
      if (j == from) {
        throw j >= end ? truncated() : malformed("decimal point not followed by a digit");
      }
      digits += j - from;
      if (digits > max) {
        throw numberTooLong();
      }
      integer = false;
    }
    if (j < end && (at(j) == 'e' || at(j) == 'E')) {
      j++;
      if (j < end && (at(j) == '+' || at(j) == '-')) {
        j++;
      }
      int from = j;
      j = digits(j);
      if (j == from) {
        throw j >= end ? truncated() : malformed("exponent not followed by a digit");
      }
      digits += j - from;
      if (digits > max) {
        throw numberTooLong();
      }
      integer = false;
    }
    int length = j - i;
    if (length > max) {
      throw numberTooLong();
    }
    if (node != null && node.slot >= 0) {
      recordNumber(node.slot, i, j, integer);
    }
    return j;
  }

  private int digits(int j) {
    while (j < end && isDigit(at(j))) {
      j++;
    }
    return j;
  }

  private static boolean isDigit(int b) {
    return b >= '0' && b <= '9';
  }

  private JsonScanException numberTooLong() {
    return new JsonScanException(JsonScanException.Reason.LIMIT, "number longer than " + limits.maxNumberChars());
  }

  /** Records the integer in {@code [i, j)} as a long when it fits one. */
  private void parseLong(int i, int j, int slot) {
    int k = i;
    boolean negative = at(k) == '-';
    if (negative) {
      k++;
    }
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multmin = limit / 10;
    long acc = 0;
    for (; k < j; k++) {
      int d = at(k) - '0';
      if (acc < multmin) {
        return;
      }
      acc *= 10;
      if (acc < limit + d) {
        return;
      }
      acc -= d;
    }
    result.recordLong(slot, negative ? acc : -acc);
  }

  private int literal(int i, PathNode node, String word, JsonKind kind) throws JsonScanException {
    int length = word.length();
    for (int k = 1; k < length; k++) {
      if (i + k >= end) {
        throw truncated();
      }
      if (at(i + k) != word.charAt(k)) {
        throw malformed("unrecognized token");
      }
    }
    if (node != null && node.slot >= 0) {
      result.recordValue(node.slot, kind, i, i + length);
    }
    return i + length;
  }

  // ---- helpers ----

  private int whitespace(int i) {
    int e = end;
    long addr = address;
    byte[] a = array;
    while (i < e) {
      int b = a != null ? UNSAFE.getByte(a, addr + i) : UNSAFE.getByte(addr + i);
      if (b > ' ' || (b != ' ' && b != '\n' && b != '\r' && b != '\t')) {
        break;
      }
      i++;
    }
    return i;
  }

  private JsonScanException unexpected(int i, String expected) {
    int b = at(i) & 0xFF;
    String shown = b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : String.format("0x%02x", b);
    return malformed("unexpected " + shown + " at offset " + i + ": expected " + expected);
  }

  private JsonScanException truncated() {
    return malformed("truncated document");
  }

  private static JsonScanException malformed(String detail) {
    return new JsonScanException(JsonScanException.Reason.MALFORMED, detail);
  }
}
