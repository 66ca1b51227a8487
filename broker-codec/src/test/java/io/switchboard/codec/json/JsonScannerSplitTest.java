package io.switchboard.codec.json;

import static io.switchboard.codec.json.DeviceMessages.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offsets are derived from where the parser stands after each token; that must hold wherever the input is cut, so
 * every message is scanned cut at every byte into two direct chunks, and cut into one chunk per byte.
 */
class JsonScannerSplitTest {
  private static final JsonScanner SCANNER = new JsonScanner(JsonLimits.defaults());
  private static final String PRETTY = " {\n  \"header\": {\"payloadVersion\": 2, \"signatureVersion\": 1},\n"
      + "  \"payload\" : {\"message\": \"\u00e9\\\"}\\\\\", \"createdAt\" : -17, \"success\": false,"
      + " \"value\": [ {\"a\": null}, 1.5e3 ] ,\n \"instanceId\":\"\u65e5\\u00e9\"  } ,\n"
      + "  \"signature\": {\"HMAC\": \"x\"}\n}\n";

  private static ScanResult scanChunks(byte[] bytes, int... cuts) throws JsonScanException {
    CompositeByteBuf c = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(cuts.length + 2);
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : bytes.length;
      c.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, to - from)).writeBytes(bytes, from,
          to - from));
      from = to;
    }
    try {
      ScanResult r = PATHS.newResult();
      SCANNER.scan(c, r);
      return r;
    } finally {
      c.release();
    }
  }

  private static ScanResult scanWhole(byte[] bytes) throws JsonScanException {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer().writeBytes(bytes);
    try {
      ScanResult r = PATHS.newResult();
      SCANNER.scan(buf, r);
      return r;
    } finally {
      buf.release();
    }
  }

  private static void assertSame(ScanResult expected, ScanResult actual, String context) {
    for (int slot = 0; slot < PATHS.size(); slot++) {
      String what = context + " " + PATHS.path(slot);
      assertThat(actual.kind(slot)).as(what).isEqualTo(expected.kind(slot));
      assertThat(actual.start(slot)).as(what).isEqualTo(expected.start(slot));
      assertThat(actual.end(slot)).as(what).isEqualTo(expected.end(slot));
      assertThat(actual.text(slot)).as(what).isEqualTo(expected.text(slot));
      assertThat(actual.isLong(slot)).as(what).isEqualTo(expected.isLong(slot));
      assertThat(actual.lastMemberName(slot)).as(what).isEqualTo(expected.lastMemberName(slot));
      assertThat(actual.lastMemberStart(slot)).as(what).isEqualTo(expected.lastMemberStart(slot));
      assertThat(actual.lastMemberComma(slot)).as(what).isEqualTo(expected.lastMemberComma(slot));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void scan_whenCutAnywhere_thenSameResultAsWhole(int which) throws JsonScanException {
    String message = new String[] {NODE_RESPONSE_WITH_INSTANCE_ID, RESPONSE, NODE_EVENT, SENSOR_EVENT, PRETTY}[which];
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    ScanResult whole = scanWhole(bytes);
    String payload = new String(bytes, whole.start(PAYLOAD), whole.length(PAYLOAD), StandardCharsets.UTF_8);
    assertThat(payload).startsWith("{").endsWith("}");
    if (which < 4) {
      assertThat(payload).isEqualTo(payloadText(message));
    }
    for (int cut = 1; cut < bytes.length; cut++) {
      assertSame(whole, scanChunks(bytes, cut), "cut at " + cut);
    }
    int[] everyByte = new int[bytes.length - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    assertSame(whole, scanChunks(bytes, everyByte), "one chunk per byte");
  }

  @org.junit.jupiter.api.Test
  void scan_whenPretty_thenValuesAndLastMemberExact() throws JsonScanException {
    byte[] bytes = PRETTY.getBytes(StandardCharsets.UTF_8);
    ScanResult r = scanWhole(bytes);
    assertThat(r.text(MESSAGE)).isEqualTo("\u00e9\"}\\");
    assertThat(r.longValue(CREATED_AT)).isEqualTo(-17);
    assertThat(r.kind(SUCCESS)).isEqualTo(JsonKind.FALSE);
    assertThat(r.kind(VALUE)).isEqualTo(JsonKind.ARRAY);
    assertThat(new String(bytes, r.start(VALUE), r.length(VALUE), StandardCharsets.UTF_8))
        .isEqualTo("[ {\"a\": null}, 1.5e3 ]");
    assertThat(r.text(INSTANCE_ID)).isEqualTo("\u65e5\u00e9");
    assertThat(r.lastMemberName(PAYLOAD)).isEqualTo("instanceId");
    assertThat(new String(bytes, r.lastMemberComma(PAYLOAD), r.end(PAYLOAD) - r.lastMemberComma(PAYLOAD),
        StandardCharsets.UTF_8)).isEqualTo(",\n \"instanceId\":\"\u65e5\\u00e9\"  }");
    assertThat(bytes[r.lastMemberStart(PAYLOAD)]).isEqualTo((byte) '"');
  }
}
