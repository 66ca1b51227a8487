package io.switchboard.codec.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Follows the parser's tokens against the tree of declared paths and records what it meets into a
 * {@link ScanResult}. Resumable: its state lives in fields, so input can be fed chunk by chunk (a composite frame)
 * and the walk picks up where {@link JsonToken#NOT_AVAILABLE} left it. Also enforces {@link JsonLimits} itself,
 * stacklessly, so a hostile frame is refused before Jackson throws its own (stack-filled) exception.
 *
 * <p>Byte offsets. Jackson's non-blocking parser does not report token <em>starts</em> reliably (measured on
 * 2.23: a value's token location is one past its first byte, and an end marker's is often stale). What it does
 * report exactly is {@link JsonParser#currentLocation()} once a token is returned: just past the token's last
 * byte ({@code {}, {@code }}, a closing quote, a number's last digit). Every offset here is derived from that plus
 * the JSON grammar: a container starts one byte before, a number {@code textLength} bytes before (numbers are
 * ASCII), a literal 4 or 5 before, and a string where the first non-whitespace byte after its member's colon is.
 * Each derived offset is checked against the byte it must point at.
 */
final class PathWalk {
  /** Container node per depth: the object's declared path node, or null when nothing under it is wanted. */
  private PathNode[] nodes = new PathNode[0];
  /** Slot of the container per depth, to record its end; {@link PathNode#NO_SLOT} when not declared. */
  private int[] slots = new int[0];
  private int depth;
  /** The path node the next value belongs to; null inside arrays and undeclared members. */
  private PathNode pending;
  /** Offset just past the closing quote of {@link #pending}'s member name. */
  private int pendingNameEnd;
  private boolean started;
  private boolean rootDone;
  private long parsed;
  private ScanResult result;
  private JsonLimits limits;
  private ByteBuf frame;
  private int base;

  void begin(ScanResult result, JsonLimits limits, ByteBuf frame) {
    int size = limits.maxDepth() + 2;
    if (nodes.length < size) {
      nodes = new PathNode[size];
      slots = new int[size];
    }
    this.result = result;
    this.limits = limits;
    this.frame = frame;
    base = frame.readerIndex();
    depth = 0;
    pending = null;
    started = false;
    rootDone = false;
  }

  /** Drops references to the frame and result so a pooled buffer is not kept reachable between scans. */
  void end() {
    result = null;
    frame = null;
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = null;
    }
  }

  /**
   * Consumes tokens until the fed input runs out (false) or the document ends (true). After {@code endOfInput}
   * the parser may still answer {@link JsonToken#NOT_AVAILABLE} once (trailing whitespace, a number at the very
   * end) before its final answer; twice in a row means it never will, and the caller treats that as malformed.
   */
  boolean run(JsonParser p, boolean inputEnded) throws IOException, JsonScanException {
    boolean waited = false;
    for (;;) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.NOT_AVAILABLE) {
        if (!inputEnded || waited) {
          return false;
        }
        waited = true;
        continue;
      }
      waited = false;
      if (t == null) {
        if (!rootDone) {
          throw malformed(started ? "truncated document" : "empty document");
        }
        return true;
      }
      if (rootDone) {
        throw malformed("content after the top-level object");
      }
      if (!started) {
        if (t != JsonToken.START_OBJECT) {
          throw malformed("top level is not an object");
        }
        started = true;
        pending = result.paths().root();
      }
      switch (t) {
        case FIELD_NAME -> onName(p);
        case START_OBJECT, START_ARRAY -> onOpen(p, t == JsonToken.START_OBJECT);
        case END_OBJECT, END_ARRAY -> onClose(p);
        default -> onScalar(p, t);
      }
    }
  }

  private void onName(JsonParser p) throws IOException, JsonScanException {
    String name = p.currentName();
    if (name.length() > limits.maxNameChars()) {
      throw new JsonScanException(JsonScanException.Reason.LIMIT, "member name longer than " + limits.maxNameChars());
    }
    PathNode parent = nodes[depth];
    if (parent == null) {
      pending = null;
      return;
    }
    PathNode child = parent.child(name);
    if (child != null && !result.markSeen(child)) {
      throw new JsonScanException(JsonScanException.Reason.DUPLICATE_MEMBER, "duplicate member: " + name);
    }
    boolean track = parent.slot >= 0 && result.tracksLastMember(parent.slot);
    pending = child;
    if (child != null || track) {
      pendingNameEnd = expect(position(p), '"', "member name");
      if (track) {
        result.recordMember(parent.slot, name, pendingNameEnd);
      }
    }
  }

  private void onOpen(JsonParser p, boolean object) throws JsonScanException {
    if (++depth > limits.maxDepth()) {
      throw new JsonScanException(JsonScanException.Reason.LIMIT, "nesting deeper than " + limits.maxDepth());
    }
    PathNode node = pending;
    pending = null;
    int slot = node == null ? PathNode.NO_SLOT : node.slot;
    if (slot >= 0) {
      int start = position(p) - 1;
      expectAt(start, object ? '{' : '[', "container start");
      result.recordValue(slot, object ? JsonKind.OBJECT : JsonKind.ARRAY, start, ScanResult.NONE);
    }
    nodes[depth] = object ? node : null;
    slots[depth] = slot;
  }

  private void onClose(JsonParser p) {
    int slot = slots[depth];
    if (slot >= 0) {
      int end = position(p);
      byte close = result.kind(slot) == JsonKind.OBJECT ? (byte) '}' : (byte) ']';
      result.recordEnd(slot, expect(end, close, "container end"));
      int nameEnd = result.lastMemberNameEnd(slot);
      if (nameEnd >= 0) {
        int nameStart = openingQuoteBefore(nameEnd - 1);
        result.recordLastMember(slot, nameStart, commaBefore(nameStart));
      }
    }
    nodes[depth] = null;
    pending = null;
    if (--depth == 0) {
      rootDone = true;
    }
  }

  private void onScalar(JsonParser p, JsonToken t) throws IOException, JsonScanException {
    JsonKind kind = kindOf(t);
    int textLength = 0;
    if (kind == JsonKind.STRING) {
      textLength = p.getTextLength();
      if (textLength > limits.maxStringChars()) {
        throw new JsonScanException(JsonScanException.Reason.LIMIT, "string longer than " + limits.maxStringChars());
      }
    } else if (kind == JsonKind.INT || kind == JsonKind.FLOAT) {
      textLength = p.getTextLength();
      if (textLength > limits.maxNumberChars()) {
        throw new JsonScanException(JsonScanException.Reason.LIMIT, "number longer than " + limits.maxNumberChars());
      }
    }
    PathNode node = pending;
    pending = null;
    if (node == null || node.slot < 0) {
      return;
    }
    int slot = node.slot;
    int end = position(p);
    int start = switch (kind) {
      case STRING -> expectAt(valueStartAfter(pendingNameEnd), '"', "string start");
      case INT, FLOAT -> expectNumberAt(end - textLength);
      case TRUE, NULL -> expectAt(end - 4, kind == JsonKind.TRUE ? 't' : 'n', "literal");
      case FALSE -> expectAt(end - 5, 'f', "literal");
      default -> throw new IllegalStateException(kind.name());
    };
    if (kind == JsonKind.STRING) {
      expect(end, '"', "string end");
    }
    result.recordValue(slot, kind, start, end);
    if (kind == JsonKind.INT && parseLong(p.getTextCharacters(), p.getTextOffset(), textLength)) {
      result.recordLong(slot, parsed);
    }
    if (textLength > 0 && result.wantsText(slot)) {
      result.recordText(slot, p.getTextCharacters(), p.getTextOffset(), textLength);
    }
  }

  // ---- offsets from the grammar ----

  /** Offset just past the token the parser has just returned. */
  private static int position(JsonParser p) {
    return (int) p.currentLocation().getByteOffset();
  }

  private int byteAt(int offset) {
    return frame.getByte(base + offset);
  }

  private static boolean isWhitespace(int b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** A member's value starts at the first non-whitespace byte after the colon that follows its name. */
  private int valueStartAfter(int nameEnd) {
    int i = nameEnd;
    while (isWhitespace(byteAt(i))) {
      i++;
    }
    expectAt(i, ':', "colon");
    i++;
    while (isWhitespace(byteAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * The opening quote of the string whose closing quote is at {@code closing}: the nearest quote before it that is
   * not escaped, i.e. preceded by an even number of backslashes (UTF-8 continuation bytes are never quotes).
   */
  private int openingQuoteBefore(int closing) {
    for (int i = closing - 1; i >= 0; i--) {
      if (byteAt(i) == '"') {
        int backslashes = 0;
        while (i - 1 - backslashes >= 0 && byteAt(i - 1 - backslashes) == '\\') {
          backslashes++;
        }
        if ((backslashes & 1) == 0) {
          return i;
        }
      }
    }
    throw outOfStep("opening quote");
  }

  /**
   * The comma before a member name: only whitespace and that comma can sit between the previous value and the
   * name. {@link ScanResult#NONE} when the member is the first (the step back meets the object's {@code {}).
   */
  private int commaBefore(int nameStart) {
    int i = nameStart - 1;
    while (i >= 0 && isWhitespace(byteAt(i))) {
      i--;
    }
    return i >= 0 && byteAt(i) == ',' ? i : ScanResult.NONE;
  }

  /** Checks that the byte just before {@code end} is {@code expected}; returns {@code end}. */
  private int expect(int end, int expected, String what) {
    expectAt(end - 1, expected, what);
    return end;
  }

  /** Checks that the byte at {@code offset} is {@code expected}; returns {@code offset}. */
  private int expectAt(int offset, int expected, String what) {
    if (offset < 0 || offset >= frame.readableBytes() || byteAt(offset) != (byte) expected) {
      throw outOfStep(what);
    }
    return offset;
  }

  private int expectNumberAt(int offset) {
    int b = offset >= 0 && offset < frame.readableBytes() ? byteAt(offset) : 0;
    if (b != '-' && (b < '0' || b > '9')) {
      throw outOfStep("number start");
    }
    return offset;
  }

  /** Only a Jackson change in how it reports locations can cause this: fail loudly, never sign wrong bytes. */
  private static IllegalStateException outOfStep(String what) {
    return new IllegalStateException("JSON scanner out of step with the parser at " + what);
  }

  private static JsonKind kindOf(JsonToken t) throws JsonScanException {
    return switch (t) {
      case VALUE_STRING -> JsonKind.STRING;
      case VALUE_NUMBER_INT -> JsonKind.INT;
      case VALUE_NUMBER_FLOAT -> JsonKind.FLOAT;
      case VALUE_TRUE -> JsonKind.TRUE;
      case VALUE_FALSE -> JsonKind.FALSE;
      case VALUE_NULL -> JsonKind.NULL;
      default -> throw malformed("unexpected token " + t);
    };
  }

  /** Parses a JSON integer's chars into {@link #parsed}; false when it does not fit a long. Never throws. */
  private boolean parseLong(char[] c, int offset, int len) {
    int i = offset;
    int end = offset + len;
    boolean negative = c[i] == '-';
    if (negative) {
      i++;
    }
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multmin = limit / 10;
    long acc = 0;
    for (; i < end; i++) {
      int d = c[i] - '0';
      if (acc < multmin) {
        return false;
      }
      acc *= 10;
      if (acc < limit + d) {
        return false;
      }
      acc -= d;
    }
    parsed = negative ? acc : -acc;
    return true;
  }

  private static JsonScanException malformed(String detail) {
    return new JsonScanException(JsonScanException.Reason.MALFORMED, detail);
  }
}
