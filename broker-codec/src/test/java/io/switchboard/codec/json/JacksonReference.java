package io.switchboard.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;

/**
 * The scanner this package used before {@link ByteScan}: Jackson 2.23's non-blocking parser walked against the
 * declared paths (the former {@code JsonScanner} and {@code PathWalk}, reduced to a byte array and recording into an
 * {@link Outcome}). Kept only as the test oracle the byte scanner is compared with, value by value and reason by
 * reason. The one known difference, a leading byte order mark, is left out of the comparisons: this walk lost its
 * offsets there and threw IllegalStateException.
 */
final class JacksonReference {
  private final JsonLimits limits;
  private final JsonFactory factory;

  JacksonReference(JsonLimits limits) {
    this.limits = limits;
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxDepth() + 1)
            .maxStringLength(limits.maxStringChars())
            .maxNumberLength(limits.maxNumberChars())
            .maxNameLength(limits.maxNameChars())
            .build())
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
  }

  Outcome scan(byte[] bytes, JsonPaths paths) {
    Outcome out = new Outcome(paths);
    if (bytes.length == 0) {
      return out.refused(JsonScanException.Reason.MALFORMED);
    }
    Walk walk = new Walk(out, bytes);
    try (JsonParser p = factory.createNonBlockingByteArrayParser()) {
      ByteArrayFeeder feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
      feeder.feedInput(bytes, 0, bytes.length);
      feeder.endOfInput();
      if (!walk.run(p)) {
        return out.refused(JsonScanException.Reason.MALFORMED);
      }
      return out;
    } catch (StreamConstraintsException e) {
      return out.refused(JsonScanException.Reason.LIMIT);
    } catch (JsonProcessingException e) {
      return out.refused(JsonScanException.Reason.MALFORMED);
    } catch (JsonScanException e) {
      return out.refused(e.reason());
    } catch (IOException e) {
      return out.refused(JsonScanException.Reason.MALFORMED);
    }
  }

  /** Everything a scan reports, comparable as one string. */
  static final class Outcome {
    final JsonPaths paths;
    JsonScanException.Reason refused;
    final JsonKind[] kinds;
    final int[] starts;
    final int[] ends;
    final Long[] longs;
    final String[] texts;
    final boolean[] tooLong;
    final String[] lastNames;
    final int[] lastStarts;
    final int[] lastCommas;
    final int[] lastNameEnds;
    final boolean[] seen;

    Outcome(JsonPaths paths) {
      this.paths = paths;
      int n = paths.size();
      kinds = new JsonKind[n];
      starts = filled(n);
      ends = filled(n);
      longs = new Long[n];
      texts = new String[n];
      tooLong = new boolean[n];
      lastNames = new String[n];
      lastStarts = filled(n);
      lastCommas = filled(n);
      lastNameEnds = filled(n);
      seen = new boolean[paths.nodeCount()];
    }

    private static int[] filled(int n) {
      int[] a = new int[n];
      java.util.Arrays.fill(a, ScanResult.NONE);
      return a;
    }

    Outcome refused(JsonScanException.Reason reason) {
      refused = reason;
      return this;
    }

    /** What the byte scanner reported, in the same form. */
    static Outcome of(ScanResult r) {
      Outcome o = new Outcome(r.paths());
      for (int s = 0; s < o.kinds.length; s++) {
        o.kinds[s] = r.kind(s);
        o.starts[s] = r.start(s);
        o.ends[s] = r.end(s);
        o.longs[s] = r.isLong(s) ? r.longValue(s) : null;
        o.texts[s] = r.text(s);
        o.tooLong[s] = r.textTooLong(s);
        o.lastNames[s] = r.lastMemberName(s);
        o.lastStarts[s] = r.lastMemberStart(s);
        o.lastCommas[s] = r.lastMemberComma(s);
      }
      return o;
    }

    @Override
    public String toString() {
      if (refused != null) {
        return "refused " + refused;
      }
      StringBuilder sb = new StringBuilder("accepted");
      for (int s = 0; s < kinds.length; s++) {
        if (kinds[s] != null) {
          sb.append("\n  ").append(paths.path(s)).append(' ').append(kinds[s]).append(" [").append(starts[s])
              .append(',').append(ends[s]).append(')');
          if (longs[s] != null) {
            sb.append(" long=").append(longs[s]);
          }
          if (texts[s] != null) {
            sb.append(" text=").append(escaped(texts[s]));
          }
          if (tooLong[s]) {
            sb.append(" tooLong");
          }
          if (lastNames[s] != null) {
            sb.append(" last=").append(escaped(lastNames[s])).append('@').append(lastStarts[s]).append(" comma@")
                .append(lastCommas[s]);
          }
        }
      }
      return sb.toString();
    }

    private static String escaped(String s) {
      StringBuilder sb = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7E) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
      return sb.append('"').toString();
    }
  }

  /** The former PathWalk, recording into an {@link Outcome}. */
  private final class Walk {
    private final Outcome out;
    private final byte[] bytes;
    private final PathNode[] nodes = new PathNode[limits.maxDepth() + 2];
    private final int[] slots = new int[limits.maxDepth() + 2];
    private int depth;
    private PathNode pending;
    private int pendingNameEnd;
    private boolean started;
    private boolean rootDone;

    Walk(Outcome out, byte[] bytes) {
      this.out = out;
      this.bytes = bytes;
    }

    boolean run(JsonParser p) throws IOException, JsonScanException {
      boolean waited = false;
      for (;;) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) {
          if (waited) {
            return false;
          }
          waited = true;
          continue;
        }
        waited = false;
        if (t == null) {
          if (!rootDone) {
            throw malformed();
          }
          return true;
        }
        if (rootDone) {
          throw malformed();
        }
        if (!started) {
          if (t != JsonToken.START_OBJECT) {
            throw malformed();
          }
          started = true;
          pending = out.paths.root();
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
        throw new JsonScanException(JsonScanException.Reason.LIMIT, "name");
      }
      PathNode parent = nodes[depth];
      if (parent == null) {
        pending = null;
        return;
      }
      int k = parent.indexOf(name.toCharArray(), name.length());
      PathNode child = k < 0 ? null : parent.children[k];
      if (child != null) {
        if (out.seen[child.index]) {
          throw new JsonScanException(JsonScanException.Reason.DUPLICATE_MEMBER, name);
        }
        out.seen[child.index] = true;
      }
      boolean track = parent.slot >= 0 && out.paths.tracksLastMember(parent.slot);
      pending = child;
      if (child != null || track) {
        pendingNameEnd = position(p);
        if (track) {
          out.lastNames[parent.slot] = name;
          out.lastNameEnds[parent.slot] = pendingNameEnd;
        }
      }
    }

    private void onOpen(JsonParser p, boolean object) throws JsonScanException {
      if (++depth > limits.maxDepth()) {
        throw new JsonScanException(JsonScanException.Reason.LIMIT, "depth");
      }
      PathNode node = pending;
      pending = null;
      int slot = node == null ? PathNode.NO_SLOT : node.slot;
      if (slot >= 0) {
        out.kinds[slot] = object ? JsonKind.OBJECT : JsonKind.ARRAY;
        out.starts[slot] = position(p) - 1;
      }
      nodes[depth] = object ? node : null;
      slots[depth] = slot;
    }

    private void onClose(JsonParser p) {
      int slot = slots[depth];
      if (slot >= 0) {
        out.ends[slot] = position(p);
        int nameEnd = out.lastNameEnds[slot];
        if (nameEnd >= 0) {
          int nameStart = openingQuoteBefore(nameEnd - 1);
          out.lastStarts[slot] = nameStart;
          out.lastCommas[slot] = commaBefore(nameStart);
        }
      }
      nodes[depth] = null;
      pending = null;
      if (--depth == 0) {
        rootDone = true;
      }
    }

    private void onScalar(JsonParser p, JsonToken t) throws IOException, JsonScanException {
      JsonKind kind = switch (t) {
        case VALUE_STRING -> JsonKind.STRING;
        case VALUE_NUMBER_INT -> JsonKind.INT;
        case VALUE_NUMBER_FLOAT -> JsonKind.FLOAT;
        case VALUE_TRUE -> JsonKind.TRUE;
        case VALUE_FALSE -> JsonKind.FALSE;
        case VALUE_NULL -> JsonKind.NULL;
        default -> throw malformed();
      };
      int textLength = 0;
      if (kind == JsonKind.STRING) {
        textLength = p.getTextLength();
        if (textLength > limits.maxStringChars()) {
          throw new JsonScanException(JsonScanException.Reason.LIMIT, "string");
        }
      } else if (kind == JsonKind.INT || kind == JsonKind.FLOAT) {
        textLength = p.getTextLength();
        if (textLength > limits.maxNumberChars()) {
          throw new JsonScanException(JsonScanException.Reason.LIMIT, "number");
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
        case STRING -> valueStartAfter(pendingNameEnd);
        case INT, FLOAT -> end - textLength;
        case TRUE, NULL -> end - 4;
        default -> end - 5;
      };
      out.kinds[slot] = kind;
      out.starts[slot] = start;
      out.ends[slot] = end;
      String text = p.getText();
      if (kind == JsonKind.INT) {
        try {
          out.longs[slot] = Long.parseLong(text);
        } catch (NumberFormatException e) {
          // not a long
        }
      }
      int cap = out.paths.maxTextChars(slot);
      if (textLength > 0 && cap > 0) {
        if (textLength > cap) {
          out.tooLong[slot] = true;
        } else {
          out.texts[slot] = text;
        }
      }
    }

    private int position(JsonParser p) {
      return (int) p.currentLocation().getByteOffset();
    }

    private boolean isWhitespace(int b) {
      return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private int valueStartAfter(int nameEnd) {
      int i = nameEnd;
      while (isWhitespace(bytes[i])) {
        i++;
      }
      i++; // the colon
      while (isWhitespace(bytes[i])) {
        i++;
      }
      return i;
    }

    private int openingQuoteBefore(int closing) {
      for (int i = closing - 1; i >= 0; i--) {
        if (bytes[i] == '"') {
          int backslashes = 0;
          while (i - 1 - backslashes >= 0 && bytes[i - 1 - backslashes] == '\\') {
            backslashes++;
          }
          if ((backslashes & 1) == 0) {
            return i;
          }
        }
      }
      throw new IllegalStateException("opening quote");
    }

    private int commaBefore(int nameStart) {
      int i = nameStart - 1;
      while (i >= 0 && isWhitespace(bytes[i])) {
        i--;
      }
      return i >= 0 && bytes[i] == ',' ? i : ScanResult.NONE;
    }

    private JsonScanException malformed() {
      return new JsonScanException(JsonScanException.Reason.MALFORMED, "malformed");
    }
  }
}
