package io.switchboard.codec.devices;

import java.util.Set;

/**
 * The checks that strings and keys must pass to be written canonically (devices.md §4.3 rules 4–6), shared by the
 * JSON reader, the Java-tree converter and the payload builder, plus the path notation of error messages.
 */
final class CanonicalRules {
  private CanonicalRules() {}

  /**
   * Refuses what the three verifiers cannot agree on: U+007F (Python escapes it, JavaScript does not) and unpaired
   * surrogates (no UTF-8 form; both languages would escape them).
   */
  static void checkString(String s, String path) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == 0x7F) {
        throw new NonCanonicalValueException(path, "U+007F is not allowed");
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new NonCanonicalValueException(path, "unpaired surrogate " + codePoint(c) + " is not allowed");
      }
    }
  }

  /**
   * Checks a member name of an object at {@code objectPath}; {@code seen} holds the names before it and gets this
   * one. Digit-only names are refused because JavaScript moves them to the front of the object, and
   * {@code signature} because the ESP cuts the payload at the first {@code ,"signature"} it finds.
   */
  static void checkKey(String key, String objectPath, Set<String> seen) {
    String path = member(objectPath, key);
    checkString(key, path);
    if (isDigits(key)) {
      throw new NonCanonicalValueException(objectPath, "keys made only of digits are refused (\"" + key + "\")");
    }
    if (key.equals("signature")) {
      throw new NonCanonicalValueException(objectPath, "the key \"signature\" is refused (ESP devices cut the payload"
          + " at the first ,\"signature\")");
    }
    if (!seen.add(key)) {
      throw new NonCanonicalValueException(objectPath, "duplicate key \"" + printable(key) + "\"");
    }
  }

  /** {@code value.level}, or {@code value["a b"]} for a name that is not a plain identifier. */
  static String member(String objectPath, String key) {
    if (isIdentifier(key)) {
      return objectPath + '.' + key;
    }
    return objectPath + "[\"" + printable(key) + "\"]";
  }

  static String element(String arrayPath, int index) {
    return arrayPath + '[' + index + ']';
  }

  private static boolean isDigits(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdentifier(String key) {
    if (key.isEmpty() || !Character.isJavaIdentifierStart(key.charAt(0)) || key.charAt(0) > 0x7E) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c > 0x7E || !Character.isJavaIdentifierPart(c)) {
        return false;
      }
    }
    return true;
  }

  /** A key as it can appear in a message: quotes, backslashes, controls and non-ASCII as escapes. */
  private static String printable(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7E) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }
}
