package io.switchboard.codec.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the Caller API may put in {@code value} (devices.md §4.3, §8.5), and how it is written. */
class CanonicalValueTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"level\":1e-05}                      | value.level: number 1e-05 is outside the canonical range",
      "{\"level\":-0.00009}                   | value.level: number -0.00009 is outside the canonical range",
      "{\"big\":1e400}                        | value.big: number 1e400 is outside the canonical range",
      "{\"1\":true}                           | value: keys made only of digits are refused (\"1\")",
      "{\"a\":{\"007\":0}}                    | value.a: keys made only of digits are refused (\"007\")",
      "{\"x\":\"a\u007f\"}                    | value.x: U+007F is not allowed",
      "{\"bands\":[{\"name\":\"\\u007f\"}]}   | value.bands[0].name: U+007F is not allowed",
      "{\"s\":\"\\ud800x\"}                   | value.s: unpaired surrogate U+D800 is not allowed",
      "{\"s\":\"\\udc00\"}                    | value.s: unpaired surrogate U+DC00 is not allowed",
      "{\"a\":1,\"a\":2}                      | value: duplicate key \"a\"",
      "{\"n\":9007199254740992}               | value.n: integer 9007199254740992 is outside ±9007199254740991",
      "{\"n\":-9007199254740992}              | value.n: integer -9007199254740992 is outside ±9007199254740991",
      "{\"n\":123456789012345678901234567890} | value.n: integer 123456789012345678901234567890 is outside "
          + "±9007199254740991",
      "{\"n\":9007199254740993.0}             | value.n: integer 9007199254740993.0 is outside ±9007199254740991",
      "{\"n\":1e16}                           | value.n: integer 1e16 is outside ±9007199254740991",
      "{\"signature\":\"x\"}                  | value: the key \"signature\" is refused (ESP devices cut the "
          + "payload at the first ,\"signature\")",
      "{\"a b\":\"\\u007f\"}                  | value[\"a b\"]: U+007F is not allowed",
      "[1]                                    | value: must be a JSON object",
      "\"x\"                                  | value: must be a JSON object",
      "{} {}                                  | value: unexpected content after the object",
  })
  void parse_whenNotCanonical_thenPreciseMessage(String json, String message) {
    assertThatThrownBy(() -> CanonicalValue.parse(json))
        .isInstanceOf(NonCanonicalValueException.class)
        .hasMessage(message);
  }

  @Test
  void parse_whenNotJson_thenInvalidRequestMessage() {
    assertThatThrownBy(() -> CanonicalValue.parse("{\"a\":"))
        .isInstanceOf(NonCanonicalValueException.class)
        .hasMessageStartingWith("value: invalid JSON: ");
    assertThatThrownBy(() -> CanonicalValue.parse("{\"a\":1,}")).isInstanceOf(NonCanonicalValueException.class);
    assertThatThrownBy(() -> CanonicalValue.parse("{\"a\":\"tab\there\"}")).isInstanceOf(NonCanonicalValueException.class);
    assertThatThrownBy(() -> CanonicalValue.parse("{\"a\":NaN}")).isInstanceOf(NonCanonicalValueException.class);
  }

  @Test
  void parse_whenNumbersHaveCanonicalSpellings_thenNormalised() {
    CanonicalValue v = CanonicalValue.parse("{\"a\":1.0,\"b\":-0.0,\"c\":21.50,\"d\":1e2,\"e\":0.0005,"
        + "\"f\":1000000000000000.5,\"g\":0.1000000000000000055511151231257827,\"h\":9007199254740991,"
        + "\"i\":-9007199254740991,\"j\":0.0001,\"k\":-75.3,\"l\":1E+15,\"m\":-0,\"n\":123456.789e3}");
    assertThat(v.toString()).isEqualTo("{\"a\":1,\"b\":0,\"c\":21.5,\"d\":100,\"e\":0.0005,\"f\":1000000000000000.5,"
        + "\"g\":0.1,\"h\":9007199254740991,\"i\":-9007199254740991,\"j\":0.0001,\"k\":-75.3,\"l\":1000000000000000,"
        + "\"m\":0,\"n\":123456789}");
  }

  @Test
  void parse_whenMemberOrderAndNesting_thenKept() {
    String json = "{\"z\":[1,[2,{\"y\":null,\"b\":true,\"a\":false}],\"s\"],\"a\":{},\"m\":[]}";
    assertThat(CanonicalValue.parse(json).toString()).isEqualTo(json);
    assertThat(CanonicalValue.parse(json.getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo(json);
  }

  @Test
  void writeTo_whenControlsQuotesAndSlash_thenOnlyTheCanonicalEscapes() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    CanonicalValue v = CanonicalValue.of(Map.of("s", controls + "\"\\/ ~"));
    assertThat(v.toString()).isEqualTo("{\"s\":\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
        + "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
        + "\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/ ~\"}");
  }

  @Test
  void writeTo_whenNonAscii_thenRawUtf8OrLowerCaseEscapesWithSurrogatePairs() {
    CanonicalValue v = CanonicalValue.of(Map.of("k\u00e9", "\u0080\u07ff\u0800\u2028\uffff\uD83D\uDE00"));
    assertThat(write(v, StringEscaping.RAW_UTF8)).isEqualTo(
        "{\"k\u00e9\":\"\u0080\u07ff\u0800\u2028\uffff\uD83D\uDE00\"}");
    assertThat(write(v, StringEscaping.ASCII)).isEqualTo(
        "{\"k\\u00e9\":\"\\u0080\\u07ff\\u0800\\u2028\\uffff\\ud83d\\ude00\"}");
  }

  @Test
  void of_whenJavaTypes_thenConvertedLikeJson() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("i", 3);
    tree.put("l", 9007199254740991L);
    tree.put("f", 21.5f);
    tree.put("d", 3.0);
    tree.put("bd", new BigDecimal("0.10"));
    tree.put("bi", BigInteger.TEN);
    tree.put("list", Arrays.asList(1, null, "x", List.of()));
    tree.put("nested", Map.of("b", Boolean.TRUE));
    assertThat(CanonicalValue.of(tree).toString()).isEqualTo(
        "{\"i\":3,\"l\":9007199254740991,\"f\":21.5,\"d\":3,\"bd\":0.1,\"bi\":10,\"list\":[1,null,\"x\",[]],"
            + "\"nested\":{\"b\":true}}");
    assertThat(CanonicalValue.of(tree)).isEqualTo(CanonicalValue.parse(CanonicalValue.of(tree).toString()));
  }

  @Test
  void of_whenNotCanonical_thenSameMessagesAsParse() {
    assertThatThrownBy(() -> CanonicalValue.of(Map.of("level", 1e-5)))
        .hasMessage("value.level: number 1.0E-5 is outside the canonical range");
    assertThatThrownBy(() -> CanonicalValue.of(Map.of("n", Double.NaN)))
        .hasMessage("value.n: number NaN is outside the canonical range");
    assertThatThrownBy(() -> CanonicalValue.of(Map.of("n", new BigInteger("9007199254740992"))))
        .hasMessage("value.n: integer 9007199254740992 is outside ±9007199254740991");
    assertThatThrownBy(() -> CanonicalValue.of(Map.of("42", 1)))
        .hasMessage("value: keys made only of digits are refused (\"42\")");
    assertThatThrownBy(() -> CanonicalValue.of(Map.of("c", 'c')))
        .hasMessage("value.c: unsupported type java.lang.Character");
    assertThatThrownBy(() -> CanonicalValue.of(null)).hasMessage("value: must be a JSON object");
  }

  @Test
  void parse_whenNestedBeyondMaxDepth_thenRefused() {
    String ok = "{\"a\":".repeat(CanonicalValue.MAX_DEPTH - 1) + "{}" + "}".repeat(CanonicalValue.MAX_DEPTH - 1);
    assertThat(CanonicalValue.parse(ok).toString()).isEqualTo(ok);
    String deep = "{\"a\":[" + ok + "]}";
    assertThatThrownBy(() -> CanonicalValue.parse(deep)).hasMessageContaining("nested deeper than 14 levels");
  }

  @Test
  void read_whenInTheMiddleOfACallerBody_thenConsumesJustTheValue() throws Exception {
    String body = "{\"action\":\"setPowerState\",\"value\":{\"state\":\"On\",\"n\":[1.50]},\"clientId\":\"api\"}";
    try (JsonParser p = new JsonFactory().createParser(body)) {
      CanonicalValue value = null;
      String clientId = null;
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("value")) {
          value = CanonicalValue.read(p);
        } else if (name.equals("clientId")) {
          clientId = p.getText();
        }
      }
      assertThat(value.toString()).isEqualTo("{\"state\":\"On\",\"n\":[1.5]}");
      assertThat(clientId).isEqualTo("api");
    }
  }

  @Test
  void payload_whenMemberCannotBeWritten_thenRefusedAtBuild() {
    assertThatThrownBy(() -> CanonicalPayload.builder().type("request").build()).hasMessage("createdAt: is required");
    assertThatThrownBy(() -> CanonicalPayload.builder().createdAt(1).build()).hasMessage("type: is required");
    assertThatThrownBy(() -> CanonicalPayload.builder().createdAt(1).type("request").instanceId("a\u007f").build())
        .hasMessage("instanceId: U+007F is not allowed");
    assertThatThrownBy(() -> CanonicalPayload.builder().createdAt(1L << 54).type("request").build())
        .hasMessageStartingWith("createdAt: integer");
  }

  @Test
  void payload_whenMembersGivenInAnyOrder_thenCanonicalOrder() {
    CanonicalPayload p = CanonicalPayload.builder().value(CanonicalValue.EMPTY).type("request").scope("module")
        .replyToken("r").instanceId("i").deviceId("d").deviceAttributes(true).createdAt(7).clientId("c").action("a")
        .build();
    assertThat(p.toString()).isEqualTo("{\"action\":\"a\",\"clientId\":\"c\",\"createdAt\":7,\"deviceAttributes\":[],"
        + "\"deviceId\":\"d\",\"instanceId\":\"i\",\"replyToken\":\"r\",\"scope\":\"module\",\"type\":\"request\","
        + "\"value\":{}}");
    assertThat(CanonicalPayload.builder().createdAt(0).type("request").build().toString())
        .isEqualTo("{\"createdAt\":0,\"type\":\"request\"}");
  }

  private static String write(CanonicalValue v, StringEscaping escaping) {
    ByteBuf buf = Unpooled.buffer();
    try {
      CanonicalJsonWriter.writeObject(buf, v.members(), escaping);
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }
}
