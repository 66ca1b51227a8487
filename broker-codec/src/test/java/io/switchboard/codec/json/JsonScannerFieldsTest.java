package io.switchboard.codec.json;

import static io.switchboard.codec.json.DeviceMessages.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Last-member detection (devices §3.4), text caps, integers, and reuse of one result across frames. */
class JsonScannerFieldsTest {
  private static final JsonScanner SCANNER = new JsonScanner(JsonLimits.defaults());

  private static ScanResult scan(String text, ScanResult into) throws JsonScanException {
    ByteBuf buf = JsonTestBuffers.POOLED_DIRECT.of(text);
    try {
      SCANNER.scan(buf, into);
      return into;
    } finally {
      buf.release();
    }
  }

  /** §3.4: the span without its trailing instanceId is the span up to the comma, followed by '}'. */
  @Test
  void scan_whenNodeResponseEndsWithInstanceId_thenSpanWithoutItIsWhatNodeSigned() throws JsonScanException {
    String message = NODE_RESPONSE_WITH_INSTANCE_ID;
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    ScanResult r = scan(message, PATHS.newResult());
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("instanceId");
    assertThat(r.text(INSTANCE_ID)).isEqualTo("instance1");
    int comma = r.lastMemberComma(PAYLOAD);
    String tail = new String(bytes, comma, r.end(PAYLOAD) - comma, StandardCharsets.UTF_8);
    assertThat(tail).isEqualTo(",\"instanceId\":\"instance1\"}");
    String withoutInstanceId = new String(bytes, r.start(PAYLOAD), comma - r.start(PAYLOAD), StandardCharsets.UTF_8)
        + "}";
    assertThat(withoutInstanceId).isEqualTo(payloadText(message).replace(",\"instanceId\":\"instance1\"", ""));
    assertThat(message.substring(r.lastMemberStart(PAYLOAD))).startsWith("\"instanceId\":");
  }

  @Test
  void textView_isTheTextInPlace_untilTheNextScan() throws JsonScanException {
    ScanResult r = PATHS.newResult();
    scan(NODE_RESPONSE_WITH_INSTANCE_ID, r);
    CharSequence view = r.textView(INSTANCE_ID);
    assertThat(view).hasToString(r.text(INSTANCE_ID));
    assertThat(view.length()).isEqualTo("instance1".length());
    assertThat(view.charAt(0)).isEqualTo('i');
    assertThat(view.subSequence(0, 8)).hasToString("instance");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> view.charAt(9))
        .isInstanceOf(IndexOutOfBoundsException.class);
    scan(RESPONSE, r);
    assertThat(r.textView(INSTANCE_ID)).as("absent in the next frame").isNull();
    scan("{\"payload\":{\"instanceId\":\"i2\"}}", r);
    assertThat(r.textView(INSTANCE_ID)).as("one view per slot, reused").isSameAs(view);
    assertThat(view).hasToString("i2");
  }

  @Test
  void scan_whenLastMemberIsValue_thenReportedWithItsComma() throws JsonScanException {
    ScanResult r = scan(RESPONSE, PATHS.newResult());
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("value");
    assertThat(RESPONSE.substring(r.lastMemberComma(PAYLOAD), r.end(PAYLOAD)))
        .isEqualTo(",\"value\":{\"state\":\"On\"}}");
  }

  @Test
  void scan_whenOnlyOneMemberOrEmptyOrEscapedName_thenCommaNoneAndNameStartExact() throws JsonScanException {
    ScanResult r = PATHS.newResult();
    scan("{\"payload\":{ \"a\\\"\\\\\" : 1 }}", r);
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("a\"\\");
    assertThat(r.lastMemberComma(PAYLOAD)).isEqualTo(ScanResult.NONE);
    assertThat(r.lastMemberStart(PAYLOAD)).isEqualTo(13);
    scan("{\"payload\":{}}", r);
    assertThat(r.lastMemberName(PAYLOAD)).isNull();
    assertThat(r.lastMemberStart(PAYLOAD)).isEqualTo(ScanResult.NONE);
    assertThat(r.lastMemberComma(PAYLOAD)).isEqualTo(ScanResult.NONE);
    String spaced = "{\"payload\":{\"a\":\"x,\" \n,\t\"b\\\\\":[1]}}";
    scan(spaced, r);
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("b\\");
    assertThat(r.lastMemberComma(PAYLOAD)).isEqualTo(spaced.indexOf(" \n,") + 2);
    assertThat(r.lastMemberStart(PAYLOAD)).isEqualTo(spaced.indexOf("\"b"));
  }

  @Test
  void scan_whenResultReused_thenNothingLeaksFromThePreviousFrame() throws JsonScanException {
    ScanResult r = PATHS.newResult();
    scan(NODE_RESPONSE_WITH_INSTANCE_ID, r);
    assertThat(r.text(INSTANCE_ID)).isEqualTo("instance1");
    scan(NODE_EVENT, r);
    assertThat(r.present(INSTANCE_ID)).isFalse();
    assertThat(r.text(INSTANCE_ID)).isNull();
    assertThat(r.present(SUCCESS)).isFalse();
    assertThat(r.present(CLIENT_ID)).isFalse();
    assertThat(r.text(TYPE)).isEqualTo("event");
    assertThat(r.text(CAUSE_TYPE)).isEqualTo("PHYSICAL_INTERACTION");
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("value");
    assertThat(r.longValue(CREATED_AT)).isEqualTo(1795493878L);
    scan("{\"payload\":\"not an object\",\"header\":{\"payloadVersion\":\"2\"}}", r);
    assertThat(r.kind(PAYLOAD)).isEqualTo(JsonKind.STRING);
    assertThat(r.present(TYPE)).isFalse();
    assertThat(r.kind(PAYLOAD_VERSION)).isEqualTo(JsonKind.STRING);
    assertThat(r.isLong(PAYLOAD_VERSION)).isFalse();
    assertThat(r.lastMemberName(PAYLOAD)).isNull();
  }

  @Test
  void scan_whenTextOverCap_thenTooLongAndNoText() throws JsonScanException {
    ScanResult r = scan("{\"payload\":{\"type\":\"" + "r".repeat(17) + "\",\"action\":\"" + "a".repeat(64) + "\"}}",
        PATHS.newResult());
    assertThat(r.textTooLong(TYPE)).isTrue();
    assertThat(r.text(TYPE)).isNull();
    assertThat(r.textEquals(TYPE, "r".repeat(17))).isFalse();
    assertThat(r.length(TYPE)).isEqualTo(19);
    assertThat(r.textTooLong(ACTION)).isFalse();
    assertThat(r.text(ACTION)).isEqualTo("a".repeat(64));
  }

  @Test
  void scan_whenIntegersAtTheEdges_thenLongOnlyWhenItFits() throws JsonScanException {
    ScanResult r = PATHS.newResult();
    scan("{\"payload\":{\"createdAt\":9223372036854775807}}", r);
    assertThat(r.longValue(CREATED_AT)).isEqualTo(Long.MAX_VALUE);
    scan("{\"payload\":{\"createdAt\":-9223372036854775808}}", r);
    assertThat(r.longValue(CREATED_AT)).isEqualTo(Long.MIN_VALUE);
    scan("{\"payload\":{\"createdAt\":9223372036854775808}}", r);
    assertThat(r.kind(CREATED_AT)).isEqualTo(JsonKind.INT);
    assertThat(r.isLong(CREATED_AT)).isFalse();
    assertThatThrownBy(() -> r.longValue(CREATED_AT)).isInstanceOf(IllegalStateException.class);
    scan("{\"payload\":{\"createdAt\":1795493877.0}}", r);
    assertThat(r.kind(CREATED_AT)).isEqualTo(JsonKind.FLOAT);
    assertThat(r.isLong(CREATED_AT)).isFalse();
    scan("{\"payload\":{\"createdAt\":-0}}", r);
    assertThat(r.longValue(CREATED_AT)).isZero();
  }

  @Test
  void paths_whenMisused_thenRefused() {
    assertThatThrownBy(() -> PATHS.slot("payload.nope")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonPaths.builder().field("a..b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonPaths.builder().field("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonPaths.builder().text("a", 0)).isInstanceOf(IllegalArgumentException.class);
    JsonPaths p = JsonPaths.builder().field("a.b").text("a.b", 8).field("a").build();
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.path(p.slot("a"))).isEqualTo("a");
  }

  @Test
  void limits_whenOutOfRange_thenRefused() {
    assertThat(JsonLimits.defaults()).isEqualTo(new JsonLimits(16, 32_768, 64, 256));
    assertThatThrownBy(() -> new JsonLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JsonLimits(1001, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JsonLimits(16, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JsonLimits(16, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JsonLimits(16, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
