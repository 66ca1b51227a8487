package io.switchboard.codec.devices;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code value} object of a broker-built payload, checked once against devices.md §4.3 and held in the form it
 * will be written: members in the caller's order, numbers already canonical. Immutable; write it any number of
 * times, for any platform ({@link StringEscaping}).
 *
 * <p>Made from the caller's JSON ({@link #parse(String)}, or {@link #read(JsonParser)} in the middle of a streamed
 * body), or from a tree of Java objects ({@link #of(Map)}). Both refuse a non-canonical value with a
 * {@link NonCanonicalValueException} that names the place, and normalise what has a canonical spelling:
 * {@code 1.0} becomes {@code 1}, {@code 0.10000000000000000555} becomes {@code 0.1}.
 *
 * <p>The tree: {@code Map<String, Object>} (ordered), {@code List<Object>}, {@code String}, {@code Long},
 * {@code BigDecimal} (non-integral, shortest digits), {@code Boolean}, and {@code null}; all unmodifiable.
 */
public final class CanonicalValue {
  /** {@code {}}. */
  public static final CanonicalValue EMPTY = new CanonicalValue(Collections.emptyMap());

  /** Nesting levels a value may have, itself included: the whole frame then stays within the inbound default of 16. */
  public static final int MAX_DEPTH = 14;

  static final String ROOT = "value";

  private final Map<String, Object> members;

  CanonicalValue(Map<String, Object> members) {
    this.members = members;
  }

  /** Parses one JSON object (nothing after it); refuses non-canonical content. */
  public static CanonicalValue parse(String json) {
    return CanonicalValueReader.parse(json);
  }

  /** Parses one JSON object from UTF-8 bytes (nothing after it); refuses non-canonical content. */
  public static CanonicalValue parse(byte[] utf8) {
    return CanonicalValueReader.parse(utf8);
  }

  /**
   * Reads the object that starts at {@code parser}'s current token ({@code START_OBJECT}) up to its end token, and
   * leaves the parser there. Malformed JSON is reported as a {@link NonCanonicalValueException} too.
   */
  public static CanonicalValue read(JsonParser parser) throws IOException {
    return CanonicalValueReader.read(parser, ROOT);
  }

  /** Converts and checks a tree of maps, lists, strings, numbers, booleans and nulls. */
  public static CanonicalValue of(Map<String, ?> tree) {
    return JavaTreeConverter.convert(tree, ROOT);
  }

  /** The checked tree (see the class comment), unmodifiable. */
  public Map<String, Object> members() {
    return members;
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanonicalValue && ((CanonicalValue) o).members.equals(members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  /** The compact JSON text with raw non-ASCII, as a NodeJS or ESP device gets it. */
  @Override
  public String toString() {
    io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
    try {
      CanonicalJsonWriter.writeObject(buf, members, StringEscaping.RAW_UTF8);
      return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  static Map<String, Object> freeze(LinkedHashMap<String, Object> map) {
    return Collections.unmodifiableMap(map);
  }
}
