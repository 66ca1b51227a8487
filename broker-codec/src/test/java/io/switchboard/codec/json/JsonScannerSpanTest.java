package io.switchboard.codec.json;

import static io.switchboard.codec.json.DeviceMessages.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The signed span must be byte-exact, whatever the buffer shape and whatever precedes or surrounds it. */
class JsonScannerSpanTest {
  private static final JsonScanner SCANNER = new JsonScanner(JsonLimits.defaults());

  static Stream<Arguments> messagesTimesBuffers() {
    Stream.Builder<Arguments> out = Stream.builder();
    for (String m : new String[] {NODE_RESPONSE_WITH_INSTANCE_ID, RESPONSE, NODE_EVENT, SENSOR_EVENT}) {
      for (JsonTestBuffers b : JsonTestBuffers.values()) {
        out.add(Arguments.of(b, m));
      }
    }
    return out.build();
  }

  /** Scans {@code text} in buffer shape {@code shape}; returns the payload span's text and checks offsets too. */
  private static String scanPayload(JsonTestBuffers shape, String text, ScanResult r) throws JsonScanException {
    ByteBuf buf = shape.of(text);
    try {
      int reader = buf.readerIndex();
      int writer = buf.writerIndex();
      SCANNER.scan(buf, r);
      assertThat(buf.readerIndex()).as("not consumed").isEqualTo(reader);
      assertThat(buf.writerIndex()).isEqualTo(writer);
      assertThat(r.kind(PAYLOAD)).isEqualTo(JsonKind.OBJECT);
      return r.span(buf, PAYLOAD).toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @MethodSource("messagesTimesBuffers")
  void scan_whenSpecMessage_thenPayloadSpanIsExactlyTheSignedText(JsonTestBuffers shape, String message)
      throws JsonScanException {
    ScanResult r = PATHS.newResult();
    String expected = payloadText(message);
    assertThat(scanPayload(shape, message, r)).isEqualTo(expected);
    assertThat(r.start(PAYLOAD)).isEqualTo(message.indexOf(expected));
    assertThat(r.end(PAYLOAD)).isEqualTo(message.indexOf(expected) + expected.length());
    assertThat(r.longValue(PAYLOAD_VERSION)).isEqualTo(2);
    assertThat(r.longValue(SIGNATURE_VERSION)).isEqualTo(1);
    assertThat(r.kind(HMAC)).isEqualTo(JsonKind.STRING);
    assertThat(r.text(HMAC)).hasSize(44);
    assertThat(message).contains("\"HMAC\":\"" + r.text(HMAC) + "\"");
    assertThat(message).contains("\"createdAt\":" + r.longValue(CREATED_AT));
  }

  @ParameterizedTest
  @EnumSource(JsonTestBuffers.class)
  void scan_whenResponse_thenEveryFieldAndSpanMatches(JsonTestBuffers shape) throws JsonScanException {
    ScanResult r = PATHS.newResult();
    ByteBuf buf = shape.of(RESPONSE);
    try {
      SCANNER.scan(buf, r);
      assertThat(r.text(TYPE)).isEqualTo("response");
      assertThat(r.textEquals(TYPE, "response")).isTrue();
      assertThat(r.text(ACTION)).isEqualTo("setPowerState");
      assertThat(r.text(DEVICE_ID)).isEqualTo("5dc1564130aabbccddeeff00");
      assertThat(r.text(REPLY_TOKEN)).isEqualTo("adf6d529-3f22-4977-8284-04d9c5b0ca85");
      assertThat(r.kind(CREATED_AT)).isEqualTo(JsonKind.INT);
      assertThat(r.longValue(CREATED_AT)).isEqualTo(1795493877L);
      assertThat(r.text(CREATED_AT)).as("no text cap declared").isNull();
      assertThat(r.text(SCOPE)).isEqualTo("device");
      assertThat(r.kind(SUCCESS)).isEqualTo(JsonKind.TRUE);
      assertThat(r.text(MESSAGE)).isEqualTo("OK");
      assertThat(r.text(CLIENT_ID)).isEqualTo("alexa-skill");
      assertThat(r.present(INSTANCE_ID)).isFalse();
      assertThat(r.present(CAUSE_TYPE)).isFalse();
      assertThat(r.kind(VALUE)).isEqualTo(JsonKind.OBJECT);
      assertThat(r.span(buf, VALUE).toString(StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"On\"}");
      // Scalar spans are exact too: the quoted string, the digits, the literal.
      assertThat(r.span(buf, TYPE).toString(StandardCharsets.UTF_8)).isEqualTo("\"response\"");
      assertThat(r.span(buf, CREATED_AT).toString(StandardCharsets.UTF_8)).isEqualTo("1795493877");
      assertThat(r.span(buf, SUCCESS).toString(StandardCharsets.UTF_8)).isEqualTo("true");
      assertThat(r.span(buf, HMAC).toString(StandardCharsets.UTF_8))
          .isEqualTo("\"TfdHg0mZMIq1iLOeeoQGUaopc/yNhjkXg7RvJ7RDykA=\"");
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @EnumSource(JsonTestBuffers.class)
  void scan_whenEvent_thenNestedCauseTypeAndFloatValue(JsonTestBuffers shape) throws JsonScanException {
    ScanResult r = PATHS.newResult();
    ByteBuf buf = shape.of(SENSOR_EVENT);
    try {
      SCANNER.scan(buf, r);
      assertThat(r.text(CAUSE_TYPE)).isEqualTo("PERIODIC_POLL");
      assertThat(r.span(buf, VALUE).toString(StandardCharsets.UTF_8))
          .isEqualTo("{\"humidity\":75.3,\"temperature\":24}");
    } finally {
      buf.release();
    }
  }

  /**
   * Pretty-printed, strings that contain {@code "payload":}, braces and escapes, nested arrays of objects, and
   * multi-byte UTF-8 (2, 3 and 4 bytes) before and inside the span.
   */
  @ParameterizedTest
  @EnumSource(JsonTestBuffers.class)
  void scan_whenDecoysWhitespaceAndMultiByteText_thenSpanStillExact(JsonTestBuffers shape)
      throws JsonScanException {
    String prefix = "\n {\t\"header\" : {\"note\":\"caf\u00e9 \u65e5\u672c \uD83C\uDF89 \\\"payload\\\":{\\\"x\\\":1}}\","
        + " \"payloadVersion\" : 2, \"arr\":[{\"payload\":{}},[\"}\"]]},\r\n  \"decoy\":\"\\\"payload\\\":{}\" ,"
        + "\n  \"payload\" :  ";
    String payload = "{ \"message\" : \"a } \\\"payload\\\": { \\u00e9\\n\",\n    \"value\": {\"a\":[1,{\"b\":\"}\"}],"
        + " \"\u00fc\":\"\u00df\"},\n    \"createdAt\":17 ,\"type\":\"r\\u00e9ponse\"}";
    String suffix = "  ,\"signature\":{\"HMAC\":\"x\"}\n}\n\t ";
    String message = prefix + payload + suffix;
    ScanResult r = PATHS.newResult();
    assertThat(scanPayload(shape, message, r)).isEqualTo(payload);
    int prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
    assertThat(r.start(PAYLOAD)).as("byte offset, not char offset").isEqualTo(prefixBytes);
    assertThat(r.length(PAYLOAD)).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
    assertThat(r.longValue(PAYLOAD_VERSION)).isEqualTo(2);
    assertThat(r.longValue(CREATED_AT)).isEqualTo(17);
    assertThat(r.text(TYPE)).as("decoded escapes").isEqualTo("r\u00e9ponse");
    assertThat(r.text(MESSAGE)).isEqualTo("a } \"payload\": { \u00e9\n");
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("type");
  }
}
