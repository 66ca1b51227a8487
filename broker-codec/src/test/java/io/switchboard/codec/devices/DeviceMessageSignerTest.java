package io.switchboard.codec.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.codec.auth.HmacSha256;
import io.switchboard.codec.auth.SignatureBase64;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer reproduces the broker-built examples of devices.md byte for byte, HMAC included. */
class DeviceMessageSignerTest {
  static final String SECRET = "5f361234-a3b7-4c3d-9e0e-e86724a91234-4c4a1234-3a3b-45de-a9b3-333d65123456";
  static final String DEVICE = "5dc1564130aabbccddeeff00";
  static final String HEADER = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},\"payload\":";

  private final DeviceMessageSigner signer = new DeviceMessageSigner();

  @Test
  void sign_whenSection52Request_thenExactWireForm() {
    CanonicalPayload p = CanonicalPayload.request("setPowerState", "alexa-skill", 1795493877L, DEVICE,
        "adf6d529-3f22-4977-8284-04d9c5b0ca85", CanonicalValue.parse("{\"state\":\"On\"}"));
    assertThat(sign(p, StringEscaping.RAW_UTF8)).isEqualTo(HEADER + "{\"action\":\"setPowerState\","
        + "\"clientId\":\"alexa-skill\",\"createdAt\":1795493877,\"deviceAttributes\":[],\"deviceId\":\"" + DEVICE + "\","
        + "\"replyToken\":\"adf6d529-3f22-4977-8284-04d9c5b0ca85\",\"type\":\"request\",\"value\":{\"state\":\"On\"}},"
        + "\"signature\":{\"HMAC\":\"bc3rSxnPGXnor3dTlxf4k30I7lwdZfvv5bL/2LWKt5E=\"}}");
  }

  @Test
  void sign_whenSection52RequestWithInstanceId_thenExactWireForm() {
    CanonicalPayload p = CanonicalPayload.builder(CanonicalPayload.request("setRangeValue", "api", 1795493940L, DEVICE,
            "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", CanonicalValue.of(Map.of("rangeValue", 75))))
        .instanceId("Blind.Lift").build();
    assertThat(sign(p, StringEscaping.RAW_UTF8)).isEqualTo(HEADER + "{\"action\":\"setRangeValue\",\"clientId\":\"api\","
        + "\"createdAt\":1795493940,\"deviceAttributes\":[],\"deviceId\":\"" + DEVICE + "\",\"instanceId\":\"Blind.Lift\","
        + "\"replyToken\":\"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a\",\"type\":\"request\",\"value\":{\"rangeValue\":75}},"
        + "\"signature\":{\"HMAC\":\"Kn/kspTqqRmQfhtuu58qnGA3oqSbp7R3ftRTziN0oLw=\"}}");
  }

  @Test
  void sign_whenSection52ModuleScope_thenNoDeviceIdAndExactWireForm() {
    CanonicalPayload p = CanonicalPayload.builder().action("setSetting").clientId("portal").createdAt(1795493920L)
        .deviceAttributes(true).replyToken("5a0c7e3b-1f2d-4e6a-8b9c-0d1e2f3a4b5c").scope("module").type("request")
        .value(CanonicalValue.parse("{\"id\":\"SettingId\",\"value\":\"Value 3\"}")).build();
    assertThat(sign(p, StringEscaping.RAW_UTF8)).isEqualTo(HEADER + "{\"action\":\"setSetting\",\"clientId\":\"portal\","
        + "\"createdAt\":1795493920,\"deviceAttributes\":[],\"replyToken\":\"5a0c7e3b-1f2d-4e6a-8b9c-0d1e2f3a4b5c\","
        + "\"scope\":\"module\",\"type\":\"request\",\"value\":{\"id\":\"SettingId\",\"value\":\"Value 3\"}},"
        + "\"signature\":{\"HMAC\":\"gq5vqB5PP1LdweDZGC/aUwTN9qMrPvGScQxLWFc+QuI=\"}}");
  }

  @Test
  void sign_whenSection56Restore_thenExactWireForm() {
    CanonicalPayload p = CanonicalPayload.builder(CanonicalPayload.request("setToggleState", "portal", 1795493900L,
            DEVICE, "0b6f2c1e-7d4a-4c59-9a0e-3f1d2b8c4e71", CanonicalValue.parse("{\"state\":\"Off\"}")))
        .instanceId("instance1").build();
    assertThat(sign(p, StringEscaping.RAW_UTF8)).isEqualTo(HEADER + "{\"action\":\"setToggleState\","
        + "\"clientId\":\"portal\",\"createdAt\":1795493900,\"deviceAttributes\":[],\"deviceId\":\"" + DEVICE + "\","
        + "\"instanceId\":\"instance1\",\"replyToken\":\"0b6f2c1e-7d4a-4c59-9a0e-3f1d2b8c4e71\",\"type\":\"request\","
        + "\"value\":{\"state\":\"Off\"}},\"signature\":{\"HMAC\":\"DewS/+aSMUHpzN4nIxDorNbZ8sN+1e50UPTfjCNodPg=\"}}");
  }

  @Test
  void sign_whenSection55TimestampResponse_thenExactWireForm() {
    CanonicalPayload p = CanonicalPayload.builder().action("getTimestamp").createdAt(1795493910L)
        .replyToken("e0dff57f-4e7a-4c67-966b-515ba4738e32").type("response")
        .value(CanonicalValue.of(Map.of("timestamp", 1795493910L))).build();
    assertThat(sign(p, StringEscaping.RAW_UTF8)).isEqualTo(HEADER + "{\"action\":\"getTimestamp\","
        + "\"createdAt\":1795493910,\"replyToken\":\"e0dff57f-4e7a-4c67-966b-515ba4738e32\",\"type\":\"response\","
        + "\"value\":{\"timestamp\":1795493910}},"
        + "\"signature\":{\"HMAC\":\"dy9RVvXZCcbJJokWpacUHdP5YEqeoAXXSOeT4KzUBPw=\"}}");
  }

  @Test
  void sign_whenUpstreamKnownAnswerPayload_thenUpstreamHmac() {
    CanonicalPayload p = CanonicalPayload.request("setPowerState", "alexa-skill", 1567852244L,
        "5d737888aea17c30a056d759", "6ec1f778-e92f-487c-9818-bdbe3438f30e", CanonicalValue.parse("{\"state\":\"On\"}"));
    ByteBuf msg = new DeviceMessageSigner().sign(ByteBufAllocator.DEFAULT,
        "a751abdb-e260-4bfd-a42c-60660561123d-3d8e6a30-0f39-42f0-a1ec-e47d47fb1392", p, StringEscaping.RAW_UTF8);
    try {
      assertThat(msg.toString(StandardCharsets.UTF_8))
          .endsWith(",\"signature\":{\"HMAC\":\"5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7sPDg=\"}}");
    } finally {
      msg.release();
    }
  }

  @Test
  void sign_whenNonAscii_thenRawForNodeAndEscapedForPythonAndBothVerifyOverTheirSpan() {
    CanonicalPayload p = CanonicalPayload.request("setSetting", "api", 1795493877L, DEVICE, "t",
        CanonicalValue.parse("{\"name\":\"café \\ud83d\\ude00\"}"));
    String node = sign(p, StringEscaping.forPlatform("NodeJS"));
    String python = sign(p, StringEscaping.forPlatform(" python "));
    assertThat(node).contains("\"value\":{\"name\":\"café \uD83D\uDE00\"}");
    assertThat(python).contains("\"value\":{\"name\":\"caf\\u00e9 \\ud83d\\ude00\"}");
    assertThat(StringEscaping.forPlatform(null)).isEqualTo(StringEscaping.RAW_UTF8);
    assertThat(StringEscaping.forPlatform("ESP32")).isEqualTo(StringEscaping.RAW_UTF8);
    for (String message : new String[] {node, python}) {
      assertThat(verifiesLikeEsp(message)).as(message).isTrue();
    }
  }

  @Test
  void sign_whenHeapOrPooledDirectAllocator_thenSameBytes() {
    CanonicalPayload p = CanonicalPayload.request("setPowerState", "alexa-skill", 1795493877L, DEVICE, "r",
        CanonicalValue.parse("{\"state\":\"On\",\"x\":\"é\"}"));
    ByteBuf heap = signer.sign(new UnpooledByteBufAllocator(false), SECRET, p, StringEscaping.RAW_UTF8);
    ByteBuf direct = signer.sign(new PooledByteBufAllocator(true), SECRET, p, StringEscaping.RAW_UTF8);
    try {
      assertThat(heap.hasArray()).isTrue();
      assertThat(direct.isDirect()).isTrue();
      assertThat(direct).isEqualTo(heap);
    } finally {
      heap.release();
      direct.release();
    }
  }

  @Test
  void sign_whenOverMaxOutboundBytes_thenTooLargeWithTheLength() {
    CanonicalPayload p = CanonicalPayload.request("setPowerState", "alexa-skill", 1795493877L, DEVICE, "r",
        CanonicalValue.of(Map.of("text", "x".repeat(20000))));
    assertThatThrownBy(() -> signer.sign(ByteBufAllocator.DEFAULT, SECRET, p, StringEscaping.RAW_UTF8))
        .isInstanceOfSatisfying(OutboundTooLargeException.class, e -> {
          assertThat(e.limit()).isEqualTo(DeviceMessageSigner.DEFAULT_MAX_OUTBOUND_BYTES);
          assertThat(e.length()).isGreaterThan(20000);
        });
  }

  @Test
  void sign_whenExactlyAtTheLimit_thenSentAndOneByteLessRefuses() {
    CanonicalPayload p = CanonicalPayload.request("setPowerState", "alexa-skill", 1795493877L, DEVICE, "r",
        CanonicalValue.parse("{\"state\":\"On\"}"));
    int length = sign(p, StringEscaping.RAW_UTF8).getBytes(StandardCharsets.UTF_8).length;
    ByteBuf ok = new DeviceMessageSigner(length).sign(ByteBufAllocator.DEFAULT, SECRET, p, StringEscaping.RAW_UTF8);
    ok.release();
    assertThatThrownBy(() -> new DeviceMessageSigner(length - 1)
        .sign(ByteBufAllocator.DEFAULT, SECRET, p, StringEscaping.RAW_UTF8))
        .isInstanceOf(OutboundTooLargeException.class)
        .hasMessage("outbound message of " + length + " bytes exceeds the limit of " + (length - 1) + " bytes");
  }

  private String sign(CanonicalPayload p, StringEscaping escaping) {
    ByteBuf msg = signer.sign(PooledByteBufAllocator.DEFAULT, SECRET, p, escaping);
    try {
      return msg.toString(StandardCharsets.UTF_8);
    } finally {
      msg.release();
    }
  }

  /** The ESP's check: HMAC over the text between the first {@code "payload":} and the next {@code ,"signature"}. */
  static boolean verifiesLikeEsp(String message) {
    return verifiesLikeEsp(message, SECRET);
  }

  static boolean verifiesLikeEsp(String message, String secret) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    String latin = new String(bytes, StandardCharsets.ISO_8859_1); // byte offsets
    int begin = latin.indexOf("\"payload\":");
    int end = latin.indexOf(",\"signature\"", begin);
    int hmacAt = latin.indexOf("\"HMAC\":\"", end) + 8;
    byte[] expected = SignatureBase64.decodeOrNull(latin.substring(hmacAt, hmacAt + SignatureBase64.LENGTH));
    ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
    try {
      return HmacSha256.verify(secret, buf, begin + 10, end - begin - 10, expected);
    } finally {
      buf.release();
    }
  }
}
