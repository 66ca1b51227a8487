package io.switchboard.codec.devices;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a tree of plain Java objects into a {@link CanonicalValue}, with the same checks as the JSON reader. */
final class JavaTreeConverter {
  private JavaTreeConverter() {}

  static CanonicalValue convert(Map<String, ?> tree, String path) {
    if (tree == null) {
      throw new NonCanonicalValueException(path, "must be a JSON object");
    }
    return new CanonicalValue(object(tree, path, 1));
  }

  private static Map<String, Object> object(Map<?, ?> map, String path, int depth) {
    checkDepth(path, depth);
    LinkedHashMap<String, Object> members = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String)) {
        throw new NonCanonicalValueException(path, "keys must be strings, got " + e.getKey());
      }
      String key = (String) e.getKey();
      CanonicalRules.checkKey(key, path, seen);
      members.put(key, node(e.getValue(), CanonicalRules.member(path, key), depth));
    }
    return CanonicalValue.freeze(members);
  }

  private static List<Object> array(List<?> list, String path, int depth) {
    checkDepth(path, depth);
    List<Object> items = new ArrayList<>(list.size());
    for (Object item : list) {
      items.add(node(item, CanonicalRules.element(path, items.size()), depth));
    }
    return Collections.unmodifiableList(items);
  }

  private static Object node(Object v, String path, int depth) {
    if (v == null || v instanceof Boolean) {
      return v;
    }
    if (v instanceof String) {
      CanonicalRules.checkString((String) v, path);
      return v;
    }
    if (v instanceof Map) {
      return object((Map<?, ?>) v, path, depth + 1);
    }
    if (v instanceof List) {
      return array((List<?>) v, path, depth + 1);
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      long n = ((Number) v).longValue();
      return CanonicalNumbers.canonical(n, path, Long.toString(n));
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return CanonicalNumbers.canonical(d, path, Double.toString(d));
    }
    if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      if (b.bitLength() > 63) {
        throw new NonCanonicalValueException(
            path, "integer " + b + " is outside ±" + CanonicalNumbers.MAX_SAFE_INTEGER);
      }
      return CanonicalNumbers.canonical(b.longValue(), path, b.toString());
    }
    if (v instanceof BigDecimal) {
      BigDecimal b = (BigDecimal) v;
      return CanonicalNumbers.canonical(b.doubleValue(), path, b.toString());
    }
    throw new NonCanonicalValueException(path, "unsupported type " + v.getClass().getName());
  }

  private static void checkDepth(String path, int depth) {
    if (depth > CanonicalValue.MAX_DEPTH) {
      throw new NonCanonicalValueException(path, "nested deeper than " + CanonicalValue.MAX_DEPTH + " levels");
    }
  }
}
