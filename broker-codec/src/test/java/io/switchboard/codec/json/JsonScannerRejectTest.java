package io.switchboard.codec.json;

import static io.switchboard.codec.json.DeviceMessages.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refusal names its reason; hostile frames are refused early and cheaply, in any buffer shape. */
class JsonScannerRejectTest {
  private static final JsonScanner SCANNER = new JsonScanner(JsonLimits.defaults());

  private static JsonScanException.Reason refusal(JsonScanner scanner, JsonTestBuffers shape, String text) {
    ByteBuf buf = shape.of(text);
    try {
      JsonScanException e = catchThrowableOfType(JsonScanException.class, () -> scanner.scan(buf, PATHS.newResult()));
      assertThat(e).as("refused: %s", text.length() > 80 ? text.substring(0, 80) + "..." : text).isNotNull();
      assertThat(e.getStackTrace()).as("stackless").isEmpty();
      return e.reason();
    } finally {
      buf.release();
    }
  }

  private static JsonScanException.Reason refusal(String text) {
    return refusal(SCANNER, JsonTestBuffers.POOLED_HEAP, text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n\t ", "x", "nul", "{", "{\"a\":", "{\"a\":1", "{\"a\":\"x", "{\"a\" 1}",
      "{\"a\":1,}", "{'a':1}", "{\"a\":01}", "{\"a\":NaN}", "{} x", "{}{}", "{} []", "{}}", "[]", "[{}]", "\"s\"",
      "1", "null", "true", "{\"a\":1} // c"})
  void scan_whenNotExactlyOneObject_thenMalformed(String text) {
    for (JsonTestBuffers shape : JsonTestBuffers.values()) {
      assertThat(refusal(SCANNER, shape, text)).as("%s in %s", text, shape)
          .isEqualTo(JsonScanException.Reason.MALFORMED);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", " {}\n", "\r\n\t{\"a\":[]} \n\t\r", "{\"payload\":{}}"})
  void scan_whenOneObjectWithWhitespaceAround_thenAccepted(String text) throws JsonScanException {
    for (JsonTestBuffers shape : JsonTestBuffers.values()) {
      ByteBuf buf = shape.of(text);
      try {
        SCANNER.scan(buf, PATHS.newResult());
      } finally {
        buf.release();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(JsonTestBuffers.class)
  void scan_whenNestingBomb_thenRefusedFast(JsonTestBuffers shape) {
    String arrays = "[".repeat(10_000);
    String inObject = "{\"payload\":{\"value\":" + "[".repeat(10_000);
    String objects = "{\"a\":".repeat(10_000);
    long t0 = System.nanoTime();
    assertThat(refusal(SCANNER, shape, arrays)).isIn(JsonScanException.Reason.MALFORMED,
        JsonScanException.Reason.LIMIT);
    assertThat(refusal(SCANNER, shape, inObject)).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(refusal(SCANNER, shape, objects)).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void scan_whenDepthAtLimit_thenAcceptedAndOneMoreRefused() throws JsonScanException {
    JsonScanner scanner = new JsonScanner(JsonLimits.defaults().withMaxDepth(4));
    ByteBuf ok = JsonTestBuffers.POOLED_HEAP.of("{\"a\":[{\"b\":[]}]}");
    try {
      scanner.scan(ok, PATHS.newResult());
    } finally {
      ok.release();
    }
    assertThat(refusal(scanner, JsonTestBuffers.POOLED_HEAP, "{\"a\":[{\"b\":[[]]}]}"))
        .isEqualTo(JsonScanException.Reason.LIMIT);
  }

  @ParameterizedTest
  @EnumSource(JsonTestBuffers.class)
  void scan_whenStringOverLimitInSmallFrame_thenLimit(JsonTestBuffers shape) {
    JsonScanner scanner = new JsonScanner(JsonLimits.defaults().withMaxStringChars(100));
    String at = "{\"payload\":{\"message\":\"" + "x".repeat(100) + "\"}}";
    String over = "{\"ignored\":\"" + "x".repeat(101) + "\"}";
    String escapedOver = "{\"a\":\"" + "\\u00e9".repeat(101) + "\"}"; // 606 bytes, 101 chars
    ByteBuf ok = shape.of(at);
    try {
      ScanResult r = PATHS.newResult();
      scanner.scan(ok, r);
      assertThat(r.length(MESSAGE)).isEqualTo(102);
    } catch (JsonScanException e) {
      throw new AssertionError(e);
    } finally {
      ok.release();
    }
    assertThat(refusal(scanner, shape, over)).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(refusal(scanner, shape, escapedOver)).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(refusal(SCANNER, shape, "{\"a\":\"" + "y".repeat(32_769) + "\"}"))
        .isEqualTo(JsonScanException.Reason.LIMIT);
  }

  @ParameterizedTest
  @EnumSource(JsonTestBuffers.class)
  void scan_whenNumberOrNameOverLimit_thenLimit(JsonTestBuffers shape) {
    assertThat(refusal(SCANNER, shape, "{\"a\":" + "9".repeat(65) + "}")).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(refusal(SCANNER, shape, "{\"a\":1." + "5".repeat(70) + "}")).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(refusal(SCANNER, shape, "{\"a\":" + "9".repeat(100_000) + "}"))
        .isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(refusal(SCANNER, shape, "{\"" + "n".repeat(257) + "\":1}")).isEqualTo(JsonScanException.Reason.LIMIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"payload\":{},\"payload\":{}}",
      "{\"payload\":{},\"header\":{},\"payload\":\"x\"}",
      "{\"header\":{\"payloadVersion\":2},\"signature\":{},\"header\":{}}",
      "{\"signature\":{\"HMAC\":\"a\"},\"signature\":{\"HMAC\":\"a\"}}",
      "{\"payload\":{\"type\":\"event\",\"type\":\"response\"}}",
      "{\"payload\":{\"cause\":{\"type\":\"A\",\"type\":\"B\"}}}"})
  void scan_whenDeclaredMemberTwice_thenDuplicate(String text) {
    assertThat(refusal(text)).isEqualTo(JsonScanException.Reason.DUPLICATE_MEMBER);
  }

  @Test
  void scan_whenUndeclaredMemberTwiceOrPayloadInsideArray_thenAccepted() throws JsonScanException {
    ByteBuf buf = JsonTestBuffers.POOLED_HEAP.of("{\"timestamp\":1,\"timestamp\":2,\"list\":[{\"payload\":{}}],"
        + "\"payload\":{\"value\":{\"x\":1,\"x\":2},\"type\":\"t\"},\"other\":{\"payload\":{},\"payload\":{}}}");
    try {
      ScanResult r = PATHS.newResult();
      SCANNER.scan(buf, r);
      assertThat(r.text(TYPE)).isEqualTo("t");
      assertThat(r.span(buf, PAYLOAD).toString(java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("{\"value\":{\"x\":1,\"x\":2},\"type\":\"t\"}");
    } finally {
      buf.release();
    }
  }

  @Test
  void scan_whenInvalidUtf8_thenMalformed() {
    ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"',
        '}'});
    try {
      JsonScanException e = catchThrowableOfType(JsonScanException.class, () -> SCANNER.scan(buf, PATHS.newResult()));
      assertThat(e.reason()).isEqualTo(JsonScanException.Reason.MALFORMED);
    } finally {
      buf.release();
    }
  }
}
