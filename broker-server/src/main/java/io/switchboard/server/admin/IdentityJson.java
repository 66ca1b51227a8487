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
}
