package io.switchboard.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reading identity records (apps, bots, sites) from the JSON the admin API and the config file give: the shared
 * first steps of every {@code IdentityKind.decode}, with errors as {@link IllegalArgumentException} naming the field.
 */
public final class IdentityJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IdentityJson() {}

  /** The record as a JSON object; "not valid JSON" or "expected a JSON object" otherwise. */
  public static JsonNode object(byte[] json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON");
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    return o;
  }

  /** The string {@code field}, or null when absent or null; "&lt;field&gt;: expected a string" for other types. */
  public static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      throw new IllegalArgumentException(field + ": expected a string");
    }
    return v == null || v.isNull() ? null : v.asText();
  }

  /**
   * The list of strings {@code field}, or null when absent or null; "&lt;field&gt;: expected a list of strings" when
   * it is not an array. Elements are taken as text.
   */
  public static java.util.List<String> stringList(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(field + ": expected a list of strings");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    v.forEach(n -> out.add(n.asText()));
    return out;
  }
}
