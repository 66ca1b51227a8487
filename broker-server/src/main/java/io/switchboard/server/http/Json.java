package io.switchboard.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** Small JSON helpers for response bodies; {@link #quote} also runs per message on the dialects' hot paths. */
public final class Json {
  private Json() {}

  public static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(String s) {
    if (!needsEscape(s)) { // the common case on every hot path (ids, actions, timestamps): one concatenation
      return '"' + s + '"';
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    return sb.append('"').toString();
  }

  /** Whether Jackson's string quoting would change a char of {@code s}: a control char, {@code "} or {@code \\}. */
  private static boolean needsEscape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  /** {@code {"error":"<code>"}}. */
  public static String error(String code) {
    return "{\"error\":" + quote(code) + "}";
  }

  /** Writes a JSON document with a generator and returns it as a string. */
  public static String write(GeneratorBody body) {
    java.io.StringWriter w = new java.io.StringWriter(128);
    try (JsonGenerator g = FACTORY.createGenerator((Writer) w)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Writes one JSON document. */
  @FunctionalInterface
  public interface GeneratorBody {
    void write(JsonGenerator g) throws IOException;
  }
}
