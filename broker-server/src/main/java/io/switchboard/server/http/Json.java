package io.switchboard.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** Small JSON helpers for response bodies built off the hot path. */
public final class Json {
  private Json() {}

  public static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    return sb.append('"').toString();
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
