package io.switchboard.codec.devices;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@link CanonicalValue} from a Jackson token stream, checking as it goes. Streaming, not a tree model,
 * because a tree model cannot see duplicate keys and has already rounded number text before we can judge it.
 */
final class CanonicalValueReader {
  private CanonicalValueReader() {}

  private static final JsonFactory JSON = JsonFactory.builder().build();

  static CanonicalValue parse(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      return parseWhole(p);
    } catch (IOException e) {
      throw invalid(e);
    }
  }

  static CanonicalValue parse(byte[] utf8) {
    try (JsonParser p = JSON.createParser(utf8)) {
      return parseWhole(p);
    } catch (IOException e) {
      throw invalid(e);
    }
  }

  private static CanonicalValue parseWhole(JsonParser p) throws IOException {
    p.nextToken();
    CanonicalValue value = read(p, CanonicalValue.ROOT);
    if (p.nextToken() != null) {
      throw new NonCanonicalValueException(CanonicalValue.ROOT, "unexpected content after the object");
    }
    return value;
  }

  static CanonicalValue read(JsonParser p, String path) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new NonCanonicalValueException(path, "must be a JSON object");
    }
    try {
      return new CanonicalValue(readObject(p, path, 1));
    } catch (JsonProcessingException e) {
      throw invalid(e);
    }
  }

  private static java.util.Map<String, Object> readObject(JsonParser p, String path, int depth) throws IOException {
    if (depth > CanonicalValue.MAX_DEPTH) {
      throw new NonCanonicalValueException(path, "nested deeper than " + CanonicalValue.MAX_DEPTH + " levels");
    }
    LinkedHashMap<String, Object> members = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      CanonicalRules.checkKey(key, path, seen);
      p.nextToken();
      members.put(key, readNode(p, CanonicalRules.member(path, key), depth));
    }
    if (t != JsonToken.END_OBJECT) {
      throw new NonCanonicalValueException(path, "unterminated object");
    }
    return CanonicalValue.freeze(members);
  }

  private static List<Object> readArray(JsonParser p, String path, int depth) throws IOException {
    if (depth > CanonicalValue.MAX_DEPTH) {
      throw new NonCanonicalValueException(path, "nested deeper than " + CanonicalValue.MAX_DEPTH + " levels");
    }
    List<Object> items = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new NonCanonicalValueException(path, "unterminated array");
      }
      items.add(readNode(p, CanonicalRules.element(path, items.size()), depth));
    }
    return Collections.unmodifiableList(items);
  }

  /** The node at the current token; {@code depth} is that of its container. */
  private static Object readNode(JsonParser p, String path, int depth) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new NonCanonicalValueException(path, "unexpected end of input");
    }
    switch (t) {
      case START_OBJECT:
        return readObject(p, path, depth + 1);
      case START_ARRAY:
        return readArray(p, path, depth + 1);
      case VALUE_STRING:
        String s = p.getText();
        CanonicalRules.checkString(s, path);
        return s;
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new NonCanonicalValueException(path, "integer " + p.getText() + " is outside ±"
              + CanonicalNumbers.MAX_SAFE_INTEGER);
        }
        return CanonicalNumbers.canonical(p.getLongValue(), path, p.getText());
      case VALUE_NUMBER_FLOAT:
        return CanonicalNumbers.canonical(p.getDoubleValue(), path, p.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new NonCanonicalValueException(path, "unexpected " + t);
    }
  }

  private static NonCanonicalValueException invalid(IOException e) {
    String why = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
        : e.getMessage();
    return new NonCanonicalValueException(CanonicalValue.ROOT, "invalid JSON: " + why);
  }
}
