package io.switchboard.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each strictness rule of the byte scanner, as Jackson 2.23 applied it (probed byte for byte against the former
 * Jackson-based scanner; {@link JsonScannerDifferentialTest} keeps comparing). Inputs are written with
 * {@code %XX} for a raw byte, so invalid UTF-8 can be spelled out; every case runs in every buffer shape.
 */
class JsonScannerStrictTest {
  private static final JsonPaths PATHS = JsonPaths.builder()
      .lastMember("payload").text("payload.s", 64).text("payload.n", 64).field("payload.x")
      .text("payload.t\u00e9", 8).build();
  private static final int PAYLOAD = PATHS.slot("payload");
  private static final int S = PATHS.slot("payload.s");
  private static final int N = PATHS.slot("payload.n");
  private static final int X = PATHS.slot("payload.x");
  private static final JsonScanner SCANNER = new JsonScanner(JsonLimits.defaults());
  /** Depth 3, strings 10 chars, numbers 5 chars, names 4 bytes. */
  private static final JsonScanner SMALL = new JsonScanner(new JsonLimits(3, 10, 5, 4));

  /** {@code text} in UTF-8, with each {@code %XX} replaced by the byte 0xXX. */
  static byte[] bytes(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  /** The reason {@code text} is refused with, the same in every buffer shape; null when accepted everywhere. */
  private static JsonScanException.Reason outcome(JsonScanner scanner, String text) {
    JsonScanException.Reason first = null;
    for (JsonTestBuffers shape : JsonTestBuffers.values()) {
      ByteBuf buf = shape.of(bytes(text));
      try {
        JsonScanException e = catchThrowableOfType(JsonScanException.class, () -> scanner.scan(buf, PATHS.newResult()));
        JsonScanException.Reason reason = e == null ? null : e.reason();
        if (shape.ordinal() > 0) {
          assertThat(reason).as("%s in %s", text, shape).isEqualTo(first);
        }
        first = reason;
      } finally {
        buf.release();
      }
    }
    return first;
  }

  private static ScanResult accepted(String text) throws JsonScanException {
    ScanResult r = PATHS.newResult();
    for (JsonTestBuffers shape : JsonTestBuffers.values()) {
      ByteBuf buf = shape.of(bytes(text));
      try {
        SCANNER.scan(buf, r);
      } finally {
        buf.release();
      }
    }
    return r;
  }

  // ---- UTF-8 ----

  /** RFC 3629 as Jackson 2.23 enforces it, in string values and in member names alike. */
  @ParameterizedTest
  @ValueSource(strings = {
      "%80", "%BF", // a continuation byte with no lead
      "%C0%80", "%C0%AF", "%C1%BF", // overlong 2-byte forms (C0, C1 never appear)
      "%E0%80%80", "%E0%9F%BF", "%F0%8F%BF%BF", // overlong 3- and 4-byte forms
      "%ED%A0%80", "%ED%BF%BF", // UTF-16 surrogates encoded in UTF-8
      "%F4%90%80%80", "%F5%80%80%80", "%F7%BF%BF%BF", // above U+10FFFF
      "%F8%88%80%80%80", "%FE", "%FF", // never valid
      "%C3", "%E2%82", "%F0%9F%8E", // cut short by the closing quote
      "%C3A", "%E2A%82", "%E2%82A", "%F0%9F%8EA"}) // a non-continuation byte inside
  void scan_whenInvalidUtf8InStringOrName_thenMalformed(String seq) {
    assertThat(outcome(SCANNER, "{\"payload\":{\"s\":\"a" + seq + "b\"}}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "{\"payload\":{\"a" + seq + "\":1}}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "{\"other\":{\"a" + seq + "\":\"" + seq + "\"}}"))
        .isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  @ParameterizedTest
  @CsvSource({
      "%7F, \u007f", "%C2%80, \u0080", "%C3%A9, \u00e9", "%DF%BF, \u07ff", "%E0%A0%80, \u0800",
      "%ED%9F%BF, \ud7ff", "%EE%80%80, \ue000", "%EF%BF%BF, \uffff", "%F0%90%80%80, \ud800\udc00",
      "%F0%9F%8E%89, \ud83c\udf89", "%F4%8F%BF%BF, \udbff\udfff"})
  void scan_whenValidUtf8AtTheEdges_thenDecoded(String seq, String decoded) throws JsonScanException {
    ScanResult r = accepted("{\"payload\":{\"s\":\"" + seq + "\",\"" + seq + "\":1}}");
    assertThat(r.text(S)).isEqualTo(decoded);
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo(decoded);
    assertThat(r.length(S)).isEqualTo(bytes(seq).length + 2);
  }

  @Test
  void scan_whenRawNonAsciiNameIsDeclared_thenMatched() throws JsonScanException {
    ScanResult r = accepted("{\"payload\":{\"t%C3%A9\":\"v\"}}");
    assertThat(r.text(PATHS.slot("payload.t\u00e9"))).isEqualTo("v");
    assertThat(outcome(SCANNER, "{\"payload\":{\"t%C3%A9\":1,\"t\\u00e9\":2}}"))
        .isEqualTo(JsonScanException.Reason.DUPLICATE_MEMBER);
  }

  // ---- control characters and whitespace ----

  @ParameterizedTest
  @ValueSource(strings = {"%00", "%01", "%08", "%09", "%0A", "%0D", "%1F"})
  void scan_whenUnescapedControlCharInStringOrName_thenMalformed(String c) {
    assertThat(outcome(SCANNER, "{\"payload\":{\"s\":\"a" + c + "\"}}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "{\"a" + c + "\":1}")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"%0C", "%0B", "%00", "%C2%A0", "%E2%80%A8", "%EF%BB%BF"})
  void scan_whenWhitespaceOtherThanSpaceTabCrLf_thenMalformed(String ws) {
    assertThat(outcome(SCANNER, "{}" + ws)).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "{\"a\":" + ws + "1}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "{\"a\":1" + ws + "}")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  /** RFC 8259 §8.1 lets a parser ignore a leading BOM; Jackson did. Offsets count it, so spans stay exact. */
  @Test
  void scan_whenLeadingByteOrderMark_thenSkippedAndCountedInOffsets() throws JsonScanException {
    ScanResult r = accepted("%EF%BB%BF \n{\"payload\":{\"s\":\"x\"}}");
    assertThat(r.start(PAYLOAD)).isEqualTo(16);
    assertThat(r.start(S)).isEqualTo(21);
    assertThat(r.text(S)).isEqualTo("x");
    assertThat(outcome(SCANNER, " %EF%BB%BF{}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "%EF%BB{}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "%EF%BB%BF")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "%EF%BB%BF%EF%BB%BF{}")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  // ---- escapes and surrogates ----

  @Test
  void scan_whenEveryEscape_thenDecoded() throws JsonScanException {
    ScanResult r = accepted("{\"payload\":{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u00E9\\u0000\"}}");
    assertThat(r.text(S)).isEqualTo("\"\\/\b\f\n\r\tA\u00e9\u00e9\u0000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\'", "\\a", "\\0", "\\x41", "\\U0041", "\\u00G0", "\\u00", "\\u", "\\ ", "\\%C3%A9"})
  void scan_whenBadEscape_thenMalformed(String escape) {
    assertThat(outcome(SCANNER, "{\"payload\":{\"s\":\"" + escape + "\"}}"))
        .isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "{\"" + escape + "\":1}")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  /** In a string value a \\u escape may be any UTF-16 unit, a lone surrogate included; Jackson kept it as is. */
  @ParameterizedTest
  @CsvSource({"\\uD800, \ud800", "\\uDC00, \udc00", "\\uD800\\u0041, \ud800A", "\\uDFFFx, \udfffx",
      "\\uD83C\\uDF89, \ud83c\udf89", "\\uDBFF\\uDFFF, \udbff\udfff"})
  void scan_whenSurrogateEscapesInValue_thenKeptAsUnits(String escapes, String decoded) throws JsonScanException {
    assertThat(accepted("{\"payload\":{\"s\":\"" + escapes + "\"}}").text(S)).isEqualTo(decoded);
  }

  /** In a member name Jackson required whole pairs: a high surrogate escape followed by a low one. */
  @ParameterizedTest
  @ValueSource(strings = {"\\uD800", "\\uDC00", "\\uD800\\u0041", "\\uD800\\uD800", "\\uD800\\n", "\\uD800x",
      "\\uDFFF\\uD800"})
  void scan_whenBrokenSurrogateEscapesInName_thenMalformed(String escapes) {
    assertThat(outcome(SCANNER, "{\"payload\":{\"" + escapes + "\":1}}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SCANNER, "{\"x\":{\"" + escapes + "\":1}}")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  @Test
  void scan_whenEscapedNames_thenDecodedForMatchingAndLastMember() throws JsonScanException {
    ScanResult r = accepted("{\"payload\":{\"\\u0073\":\"v\",\"\\uD83C\\uDF89\":1}}");
    assertThat(r.text(S)).isEqualTo("v");
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("\ud83c\udf89");
    assertThat(outcome(SCANNER, "{\"p\\u0061yload\":{},\"payload\":{}}"))
        .isEqualTo(JsonScanException.Reason.DUPLICATE_MEMBER);
  }

  // ---- numbers and literals ----

  @ParameterizedTest
  @CsvSource({"0, INT", "-0, INT", "17, INT", "-9223372036854775808, INT", "0.5, FLOAT", "-0.0, FLOAT",
      "1e5, FLOAT", "1E5, FLOAT", "1e+5, FLOAT", "1e-5, FLOAT", "0e0, FLOAT", "1.5E+3, FLOAT", "1.5e03, FLOAT"})
  void scan_whenValidNumber_thenKindSpanAndText(String number, JsonKind kind) throws JsonScanException {
    ScanResult r = accepted("{\"payload\":{\"n\":" + number + "}}");
    assertThat(r.kind(N)).isEqualTo(kind);
    assertThat(r.length(N)).isEqualTo(number.length());
    assertThat(r.text(N)).isEqualTo(number);
    assertThat(r.isLong(N)).isEqualTo(kind == JsonKind.INT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "-a", "- 1", "1.", "1.e5", ".5", "1e", "1e+", "1E-", "00", "01", "-01", "+1", "1.5.5",
      "0x10", "1x", "1\"a\"", "Infinity", "-Infinity", "NaN", "1_000", "1,", "tru", "truex", "True", "nul", "nulll",
      "true1", "fals", "f", "t", "n", "'a'", "\"a\"\"b\""})
  void scan_whenBadNumberOrLiteral_thenMalformed(String value) {
    assertThat(outcome(SCANNER, "{\"payload\":{\"x\":" + value + "}}")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  @Test
  void scan_whenLiterals_thenKindsAndSpans() throws JsonScanException {
    for (String literal : new String[] {"true", "false", "null"}) {
      ScanResult r = accepted("{\"payload\":{\"x\":" + literal + "}}");
      assertThat(r.kind(X)).isEqualTo(JsonKind.valueOf(literal.toUpperCase(java.util.Locale.ROOT)));
      assertThat(r.length(X)).isEqualTo(literal.length());
    }
  }

  // ---- structure ----

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":[1 2]}", "{\"a\":{\"b\":1 \"c\":2}}",
      "{\"a\":{\"b\"}}", "{\"a\":{1:2}}", "{\"a\":1,,\"b\":2}", "{\"a\":1,}", "{,}", "{\"a\":[}", "{\"a\":{]}",
      "{\"a\":]}", "{\"a\" \"b\"}", "{\"a\"::1}", "{\"a\":1 ,}", "{:1}", "{\"a\":[1}", "{\"a\":}", "{\"s\":\"a\"",
      "{\"s\":\"a\",", "{\"s\":\"a", "{\"s\":\"a\\", "{\"s\":\"a\\u00", "{\"s\":1", "{\"s\":-", "{\"s\":1.",
      "{\"s\":1e", "{\"s\":1e-", "{\"s\":tr", "{\"s\":[", "{\"s\"", "{\"s\":", "{\""})
  void scan_whenBrokenStructureOrTruncated_thenMalformed(String text) {
    assertThat(outcome(SCANNER, text)).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  // ---- limits, and where they are checked ----

  /** Jackson measured a name in UTF-8 bytes of the decoded name, not in chars. */
  @ParameterizedTest
  @CsvSource({"abcd, ", "abcde, LIMIT", "a\\u0062cd, ", "a\\u0062cde, LIMIT", "%C3%A9%C3%A9, ",
      "%C3%A9%C3%A9x, LIMIT", "ab\\u00e9, ", "abc\\u00e9, LIMIT", "%F0%9F%8E%89, ", "a%F0%9F%8E%89, LIMIT",
      "\\uD83C\\uDF89, ", "abcde%01, MALFORMED", "abcde\\q, MALFORMED"})
  void scan_whenNameNearLimit_thenUtf8BytesCount(String name, JsonScanException.Reason reason) {
    assertThat(outcome(SMALL, "{\"" + name + "\":1}")).isEqualTo(reason);
  }

  /**
   * A string's decoded length (UTF-16 chars) is checked at its closing quote, so a broken string over the limit is
   * malformed, as Jackson had it for strings of this size.
   */
  @ParameterizedTest
  @CsvSource({"0123456789, ", "0123456789a, LIMIT", "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9, ",
      "%F0%9F%8E%89%F0%9F%8E%89%F0%9F%8E%89%F0%9F%8E%89%F0%9F%8E%89, ",
      "%F0%9F%8E%89%F0%9F%8E%89%F0%9F%8E%89%F0%9F%8E%89%F0%9F%8E%89x, LIMIT",
      "\\uD83C\\uDF89\\uD83C\\uDF89\\uD83C\\uDF89\\uD83C\\uDF89\\uD83C\\uDF89x, LIMIT",
      "0123456789a%01, MALFORMED", "0123456789a\\q, MALFORMED"})
  void scan_whenStringNearLimit_thenCheckedAtClosingQuote(String body, JsonScanException.Reason reason) {
    assertThat(outcome(SMALL, "{\"s\":\"" + body + "\"}")).isEqualTo(reason);
    assertThat(outcome(SMALL, "{\"s\":\"0123456789a")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  /**
   * Numbers: Jackson counted digits at the end of the integer part, of the fraction and of the exponent (so a
   * long integer part fails before a bad fraction is seen), and the whole text (sign, point, exponent included) at
   * the end of the number; a leading zero fails as soon as the next digit is seen.
   */
  @ParameterizedTest
  @CsvSource({"12345, ", "123456, LIMIT", "-1234, ", "-12345, LIMIT", "1.234, ", "1.2345, LIMIT", "1e123, ",
      "1e1234, LIMIT", "123456x, LIMIT", "1234567., LIMIT", "1.23456e, LIMIT", "0.12345e, LIMIT",
      "0.1234e, MALFORMED", "-0123456, MALFORMED", "0123456, MALFORMED", "-12345., MALFORMED", "12., MALFORMED"})
  void scan_whenNumberNearLimit_thenCheckedWhereJacksonDid(String number, JsonScanException.Reason reason) {
    assertThat(outcome(SMALL, "{\"n\":" + number + "}")).isEqualTo(reason);
  }

  @Test
  void scan_whenNumberOverLimitAtEndOfInput_thenLimit() {
    assertThat(outcome(SMALL, "{\"n\":123456")).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(outcome(SMALL, "{\"n\":-12345")).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(outcome(SMALL, "{\"n\":1e123456")).isEqualTo(JsonScanException.Reason.LIMIT);
  }

  /** Jackson read a top-level number before it noticed the top level was not an object. */
  @Test
  void scan_whenTopLevelNumber_thenLimitOnlyWhenOverTheNumberLimit() {
    assertThat(outcome(SMALL, "123456 {")).isEqualTo(JsonScanException.Reason.LIMIT);
    assertThat(outcome(SMALL, "12345 {}")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SMALL, "-")).isEqualTo(JsonScanException.Reason.MALFORMED);
    assertThat(outcome(SMALL, "0123456")).isEqualTo(JsonScanException.Reason.MALFORMED);
  }

  /** Invalid UTF-8 in a name is found after its length: an over-long invalid name is LIMIT (0xFF included). */
  @ParameterizedTest
  @ValueSource(strings = {"abcde%C3", "%C3abcde", "abcd%80", "abcdefghijkl%FFx", "abc%FF", "%FF"})
  void scan_whenNameInvalidUtf8_thenLengthCheckedFirst(String name) {
    JsonScanException.Reason expected = bytes(name).length > 4 ? JsonScanException.Reason.LIMIT
        : JsonScanException.Reason.MALFORMED;
    assertThat(outcome(SMALL, "{\"" + name + "\":1}")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"'{\"a\":[[]]}', ", "'{\"a\":[[[]]]}', LIMIT", "'{\"a\":{\"b\":{}}}', ", "'{\"a\":{\"b\":{\"c\":{', LIMIT",
      "'{\"a\":[[[', LIMIT", "'{\"a\":[[', MALFORMED"})
  void scan_whenDepthNearLimit_thenCheckedAtTheOpeningBracket(String text, JsonScanException.Reason reason) {
    assertThat(outcome(SMALL, text)).isEqualTo(reason);
  }

  // ---- what the result keeps ----

  /** An empty string has no text (as before): {@code text} is null, yet the value is present with its span. */
  @Test
  void scan_whenEmptyString_thenPresentWithoutText() throws JsonScanException {
    ScanResult r = accepted("{\"payload\":{\"s\":\"\"}}");
    assertThat(r.kind(S)).isEqualTo(JsonKind.STRING);
    assertThat(r.length(S)).isEqualTo(2);
    assertThat(r.text(S)).isNull();
    assertThat(r.textTooLong(S)).isFalse();
  }

  /** No allocation that grows with the frame: a scan of a 356-byte or a 4.4 KB frame allocates nothing at all. */
  @ParameterizedTest
  @ValueSource(ints = {0, 4000})
  void scan_whenWarm_thenAllocatesNothingPerFrame(int padding) throws JsonScanException {
    String message = DeviceMessages.RESPONSE.replace("{\"state\":\"On\"}",
        "{\"state\":\"On\",\"note\":\"" + "x".repeat(padding) + "\"}");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (boolean direct : new boolean[] {false, true}) {
      byte[] b = message.getBytes(StandardCharsets.UTF_8);
      ByteBuf buf = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(b.length).writeBytes(b)
          : PooledByteBufAllocator.DEFAULT.heapBuffer(b.length).writeBytes(b);
      try {
        ScanResult r = DeviceMessages.PATHS.newResult();
        for (int i = 0; i < 20_000; i++) {
          SCANNER.scan(buf, r);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
          SCANNER.scan(buf, r);
        }
        long perScan = (threads.getCurrentThreadAllocatedBytes() - before) / 10_000;
        assertThat(perScan).as("bytes allocated per scan, direct=%s", direct).isZero();
      } finally {
        buf.release();
      }
    }
  }
}
