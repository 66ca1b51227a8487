package io.switchboard.codec.devices;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-side JSON reading, independent of the code under test: lenient splitting of the upstream sample files
 * (../vectors/sinricpro/README.md) and a plain tree parser.
 */
final class JsonTrees {
  private JsonTrees() {}

  private static final JsonFactory JSON = new JsonFactory();

  /** Drops {@code //} lines, then returns each top-level {@code {...}} (strings inside objects respected). */
  static List<String> topLevelObjects(String text) {
    StringBuilder kept = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.trim().startsWith("//")) {
        kept.append(line).append('\n');
      }
    }
    List<String> objects = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < kept.length(); i++) {
      char c = kept.charAt(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"' && depth > 0) {
        inString = true;
      } else if (c == '{') {
        if (depth++ == 0) {
          start = i;
        }
      } else if (c == '}' && depth > 0 && --depth == 0) {
        objects.add(kept.substring(start, i + 1));
      }
    }
    return objects;
  }

  /** Maps (ordered), lists, strings, longs, doubles, booleans, nulls. */
  static Object parse(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      return node(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The structure without the values: member names (sorted) and JSON types. */
  static Object shape(Object node) {
    if (node instanceof Map) {
      Map<String, Object> shape = new TreeMap<>();
      ((Map<?, ?>) node).forEach((k, v) -> shape.put((String) k, shape(v)));
      return shape;
    }
    if (node instanceof List) {
      List<Object> shape = new ArrayList<>();
      ((List<?>) node).forEach(v -> shape.add(shape(v)));
      return shape;
    }
    return node == null ? "null" : node instanceof String ? "string" : node instanceof Boolean ? "boolean" : "number";
  }

  private static Object node(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, node(p));
        }
        return map;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(node(p));
        }
        return list;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      case VALUE_NULL:
        return null;
      default:
        throw new IllegalStateException("unexpected " + p.currentToken());
    }
  }
}
