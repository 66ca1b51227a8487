package io.switchboard.codec.devices;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes checked values compactly into a {@link ByteBuf} in the one spelling all device SDKs reproduce (devices.md
 * §4.3 rules 2–5). It trusts its input: strings and numbers come from {@link CanonicalRules} and
 * {@link CanonicalNumbers}.
 */
final class CanonicalJsonWriter {
  private CanonicalJsonWriter() {}

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  static void writeObject(ByteBuf out, Map<String, Object> members, StringEscaping escaping) {
    out.writeByte('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : members.entrySet()) {
      if (!first) {
        out.writeByte(',');
      }
      first = false;
      writeString(out, e.getKey(), escaping);
      out.writeByte(':');
      writeNode(out, e.getValue(), escaping);
    }
    out.writeByte('}');
  }

  @SuppressWarnings("unchecked")
  static void writeNode(ByteBuf out, Object node, StringEscaping escaping) {
    if (node == null) {
      out.writeBytes(NULL);
    } else if (node instanceof String) {
      writeString(out, (String) node, escaping);
    } else if (node instanceof Long) {
      writeLong(out, (Long) node);
    } else if (node instanceof BigDecimal) {
      out.writeCharSequence(((BigDecimal) node).toPlainString(), StandardCharsets.US_ASCII);
    } else if (node instanceof Boolean) {
      out.writeBytes((Boolean) node ? TRUE : FALSE);
    } else if (node instanceof Map) {
      writeObject(out, (Map<String, Object>) node, escaping);
    } else if (node instanceof List) {
      out.writeByte('[');
      List<Object> items = (List<Object>) node;
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.writeByte(',');
        }
        writeNode(out, items.get(i), escaping);
      }
      out.writeByte(']');
    } else {
      throw new IllegalArgumentException("not a canonical node: " + node.getClass().getName());
    }
  }

  static void writeLong(ByteBuf out, long v) {
    out.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
  }

  /**
   * A quoted string: {@code \" \\ \b \f \n \r \t}, {@code \}{@code u00xx} for the other controls, {@code /} as is,
   * non-ASCII raw or escaped per {@code escaping}.
   */
  static void writeString(ByteBuf out, String s, StringEscaping escaping) {
    out.ensureWritable(s.length() + 2);
    out.writeByte('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        writeAscii(out, c);
      } else if (escaping == StringEscaping.ASCII) {
        writeUnicodeEscape(out, c); // a surrogate pair comes out as two escapes, as Python writes it
      } else if (c < 0x800) {
        out.writeByte(0xC0 | (c >> 6));
        out.writeByte(0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.writeByte(0xF0 | (cp >> 18));
        out.writeByte(0x80 | ((cp >> 12) & 0x3F));
        out.writeByte(0x80 | ((cp >> 6) & 0x3F));
        out.writeByte(0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate in " + s); // CanonicalRules refuses these first
      } else {
        out.writeByte(0xE0 | (c >> 12));
        out.writeByte(0x80 | ((c >> 6) & 0x3F));
        out.writeByte(0x80 | (c & 0x3F));
      }
    }
    out.writeByte('"');
  }

  private static void writeAscii(ByteBuf out, char c) {
    switch (c) {
      case '"':
        out.writeByte('\\').writeByte('"');
        return;
      case '\\':
        out.writeByte('\\').writeByte('\\');
        return;
      case '\b':
        out.writeByte('\\').writeByte('b');
        return;
      case '\f':
        out.writeByte('\\').writeByte('f');
        return;
      case '\n':
        out.writeByte('\\').writeByte('n');
        return;
      case '\r':
        out.writeByte('\\').writeByte('r');
        return;
      case '\t':
        out.writeByte('\\').writeByte('t');
        return;
      default:
        if (c < 0x20) {
          writeUnicodeEscape(out, c);
        } else {
          out.writeByte(c);
        }
    }
  }

  private static void writeUnicodeEscape(ByteBuf out, char c) {
    out.writeByte('\\').writeByte('u');
    out.writeByte(HEX[(c >> 12) & 0xF]);
    out.writeByte(HEX[(c >> 8) & 0xF]);
    out.writeByte(HEX[(c >> 4) & 0xF]);
    out.writeByte(HEX[c & 0xF]);
  }

  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
}
