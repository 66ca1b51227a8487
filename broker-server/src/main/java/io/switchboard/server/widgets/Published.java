package io.switchboard.server.widgets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;

/**
 * A published envelope (widgets.md §4), parsed straight off the request body: the few strings the broker reads,
 * and the {@code message} value and {@code timestamp} number kept as their original JSON text, so they go out
 * exactly as they came in ({@code 2365.123} stays {@code 2365.123}). Unknown members are dropped.
 */
final class Published {
  String type;
  String widgetKey;
  String authorId;
  String toUserId;
  /** The {@code message} value as JSON text, or null when absent; {@code "null"} when it was JSON null. */
  String messageJson;
  /** The {@code timestamp} number's text, or null when absent. */
  String timestampText;
  /** {@code message.url} when {@code message} is an object holding a string {@code url}. */
  String url;
  /** Paging of a request ({@code message.after}, {@code message.limit}): null when absent. */
  Long after;
  Long limit;
  /** A paging member was present but not an integer. */
  boolean badPaging;

  /** A parser factory limited to {@code maxDepth} nesting (deeper bodies are refused as invalid). */
  static JsonFactory factory(int maxDepth) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
        .build();
  }

  /** Parses {@code body} (not consumed). Throws 400 {@code invalid JSON body} when it is not one JSON object. */
  static Published parse(JsonFactory factory, ByteBuf body) {
    Published e = new Published();
    try (JsonParser p = parser(factory, body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalid();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "type" -> e.type = string(p, t);
          case "widget_key" -> e.widgetKey = string(p, t);
          case "author_id" -> e.authorId = string(p, t);
          case "to_user_id" -> e.toUserId = string(p, t);
          case "timestamp" -> {
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
              e.timestampText = p.getText();
              if (t == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(p.getDoubleValue())) {
                e.timestampText = null;
              }
            } else {
              p.skipChildren();
              e.timestampText = t == JsonToken.VALUE_NULL ? null : "";
            }
          }
          case "message" -> e.messageJson = e.message(p, t, body);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw invalid();
      }
    } catch (IOException | RuntimeException ex) {
      if (ex instanceof Refusal r) {
        throw r;
      }
      throw invalid();
    }
    return e;
  }

  /**
   * A parser over the body's bytes: its backing array where it has one, else one copy (a publish body is small).
   * Jackson's byte-array parser, not its stream parser, which went through an InputStream per request.
   * Byte offsets it reports are relative to the body's reader index either way.
   */
  private static JsonParser parser(JsonFactory factory, ByteBuf body) throws IOException {
    if (body.hasArray()) {
      return factory.createParser(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
    }
    return factory.createParser(ByteBufUtil.getBytes(body));
  }

  private static String string(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** The message value as JSON text; an object's raw bytes are sliced out of the body by parser offsets. */
  private String message(JsonParser p, JsonToken t, ByteBuf body) throws IOException {
    switch (t) {
      case START_OBJECT, START_ARRAY -> {
        long start = p.currentTokenLocation().getByteOffset();
        if (t == JsonToken.START_OBJECT) {
          objectMembers(p);
        } else {
          p.skipChildren();
        }
        long end = p.currentLocation().getByteOffset();
        return body.toString(body.readerIndex() + (int) start, (int) (end - start),
            java.nio.charset.StandardCharsets.UTF_8);
      }
      case VALUE_STRING -> {
        return io.switchboard.server.http.Json.quote(p.getText());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getText();
      }
      case VALUE_TRUE -> {
        return "true";
      }
      case VALUE_FALSE -> {
        return "false";
      }
      default -> {
        return "null";
      }
    }
  }

  /** Walks a {@code message} object, picking up {@code url}, {@code after} and {@code limit} at its top level. */
  private void objectMembers(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "url" -> url = string(p, t);
        case "after" -> after = paging(p, t);
        case "limit" -> limit = paging(p, t);
        default -> p.skipChildren();
      }
    }
  }

  private Long paging(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    p.skipChildren();
    badPaging = true;
    return null;
  }

  private static Refusal invalid() {
    return new Refusal(400, "invalid JSON body", "invalid_body");
  }
}
