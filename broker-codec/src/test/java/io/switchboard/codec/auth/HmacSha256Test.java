package io.switchboard.codec.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HMAC-SHA256 over buffer spans against the vectors of devices.md §3.4 and §5.2, for every kind of buffer. */
class HmacSha256Test {
  static final String KNOWN_SECRET = "a751abdb-e260-4bfd-a42c-60660561123d-3d8e6a30-0f39-42f0-a1ec-e47d47fb1392";
  static final String KNOWN_PAYLOAD = "{\"action\":\"setPowerState\",\"clientId\":\"alexa-skill\",\"createdAt\":1567852244,"
      + "\"deviceAttributes\":[],\"deviceId\":\"5d737888aea17c30a056d759\","
      + "\"replyToken\":\"6ec1f778-e92f-487c-9818-bdbe3438f30e\",\"type\":\"request\",\"value\":{\"state\":\"On\"}}";
  static final String KNOWN_HEX = "e5a479747b953ce6f5ad8ad623349bc2a257ea658c947d4496e4363e5eec3c38";
  static final String KNOWN_BASE64 = "5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7sPDg=";

  static final String EXAMPLE_SECRET =
      "5f361234-a3b7-4c3d-9e0e-e86724a91234-4c4a1234-3a3b-45de-a9b3-333d65123456";
  /** devices.md §3.4: signed by Node.js without its trailing instanceId. */
  static final String NODE_RESPONSE = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},\"payload\":"
      + "{\"action\":\"setToggleState\",\"clientId\":\"portal\",\"createdAt\":1795493900,"
      + "\"deviceId\":\"5dc1564130aabbccddeeff00\",\"message\":\"OK\","
      + "\"replyToken\":\"0b6f2c1e-7d4a-4c59-9a0e-3f1d2b8c4e71\","
      + "\"scope\":\"device\",\"success\":true,\"type\":\"response\",\"value\":{\"state\":\"Off\"},"
      + "\"instanceId\":\"instance1\"},\"signature\":{\"HMAC\":\"G+1FQkg+YRv9ZQ7R9QOxG7oAOf6iLgsJ5oz1AxNa/K4=\"}}";

  /** Ways a frame's bytes can be held; each places the text at a non-zero index. */
  enum Holder {
    HEAP(text -> Unpooled.wrappedBuffer(("xx" + text).getBytes(StandardCharsets.UTF_8)).readerIndex(2)),
    HEAP_SLICE(text -> { // arrayOffset() != 0
      byte[] b = ("0123456789" + text + "tail").getBytes(StandardCharsets.UTF_8);
      return Unpooled.wrappedBuffer(b, 7, b.length - 7 - 4).readerIndex(3);
    }),
    DIRECT(text -> {
      ByteBuf b = Unpooled.directBuffer();
      b.writeCharSequence("junk-before", StandardCharsets.US_ASCII);
      b.readerIndex(b.writerIndex());
      b.writeCharSequence(text, StandardCharsets.UTF_8);
      return b;
    }),
    POOLED_DIRECT(text -> {
      ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer();
      b.writeCharSequence("abc", StandardCharsets.US_ASCII);
      b.readerIndex(3);
      b.writeCharSequence(text, StandardCharsets.UTF_8);
      return b;
    }),
    COMPOSITE(text -> { // several NIO buffers: a direct and a heap component
      byte[] all = text.getBytes(StandardCharsets.UTF_8);
      int cut = all.length / 3;
      CompositeByteBuf c = Unpooled.compositeBuffer();
      c.addComponent(true, Unpooled.directBuffer().writeBytes(all, 0, cut));
      c.addComponent(true, Unpooled.wrappedBuffer(all, cut, all.length - cut));
      return c;
    });

    final Function<String, ByteBuf> make;

    Holder(Function<String, ByteBuf> make) {
      this.make = make;
    }
  }

  @ParameterizedTest
  @EnumSource(Holder.class)
  void sign_whenKnownAnswerVector_thenMatchesHexAndBase64(Holder holder) {
    ByteBuf buf = holder.make.apply(KNOWN_PAYLOAD);
    try {
      byte[] mac = HmacSha256.sign(KNOWN_SECRET, buf, buf.readerIndex(), buf.readableBytes());
      assertThat(HexFormat.of().formatHex(mac)).isEqualTo(KNOWN_HEX);
      assertThat(Base64.getEncoder().encodeToString(mac)).isEqualTo(KNOWN_BASE64);
      assertThat(HmacSha256.verify(KNOWN_SECRET, buf, buf.readerIndex(), buf.readableBytes(),
          SignatureBase64.decodeOrNull(KNOWN_BASE64))).isTrue();
      assertThat(buf.readerIndex()).as("reader index untouched").isEqualTo(holder == Holder.HEAP ? 2 : buf.readerIndex());
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Holder.class)
  void verify_whenWrongMacAlteredPayloadOrWrongSecret_thenFalse(Holder holder) {
    byte[] expected = SignatureBase64.decodeOrNull(KNOWN_BASE64);
    ByteBuf buf = holder.make.apply(KNOWN_PAYLOAD);
    ByteBuf altered = holder.make.apply(KNOWN_PAYLOAD.replace("\"On\"", "\"on\""));
    try {
      int i = buf.readerIndex();
      int n = buf.readableBytes();
      byte[] flipped = expected.clone();
      flipped[31] ^= 1;
      assertThat(HmacSha256.verify(KNOWN_SECRET, buf, i, n, flipped)).isFalse();
      assertThat(HmacSha256.verify(KNOWN_SECRET, buf, i, n - 1, expected)).as("span one byte short").isFalse();
      assertThat(HmacSha256.verify(KNOWN_SECRET + "x", buf, i, n, expected)).isFalse();
      assertThat(HmacSha256.verify(KNOWN_SECRET, altered, altered.readerIndex(), altered.readableBytes(), expected))
          .isFalse();
      assertThat(HmacSha256.verify(KNOWN_SECRET, buf, i, n, new byte[31])).isFalse();
      assertThat(HmacSha256.verify(KNOWN_SECRET, buf, i, n, null)).isFalse();
      assertThat(HmacSha256.verify(KNOWN_SECRET, buf, i, n, expected)).as("still keyed after failures").isTrue();
    } finally {
      buf.release();
      altered.release();
    }
  }

  @Test
  void verify_whenEveryExampleOfDevicesMd_thenHoldsOverTheRawPayloadSpan() throws IOException {
    Optional<Path> shared = SharedContracts.dir();
    assertThat(shared).as("the test copy of the shared contracts (broker-codec/src/test/resources/shared)").isPresent();
    List<String> examples = Files.readAllLines(shared.get().resolve("protocols/devices.md")).stream()
        .map(String::trim)
        .filter(l -> l.startsWith("{\"header\":"))
        .filter(l -> SignatureBase64.decodeOrNull(hmacText(l)) != null) // not the §4.2 template
        .collect(Collectors.toList());
    assertThat(examples).hasSize(10).contains(NODE_RESPONSE); // §3.4: 1, §5.2: 3, §5.3: 1, §5.4: 2, §5.5: 2, §5.6: 1

    for (String message : examples) {
      ByteBuf buf = Holder.POOLED_DIRECT.make.apply(message);
      try {
        int[] span = payloadSpan(buf);
        byte[] mac = SignatureBase64.decodeOrNull(hmacText(message));
        boolean plain = HmacSha256.verify(EXAMPLE_SECRET, buf, span[0], span[1], mac);
        if (message.equals(NODE_RESPONSE)) {
          assertThat(plain).as("the Node.js instanceId example fails the normal check").isFalse();
        } else {
          assertThat(plain).as(message).isTrue();
        }
      } finally {
        buf.release();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Holder.class)
  void verifyWithSuffix_whenNodeJsDroppedInstanceId_thenOnlyTheFallbackHolds(Holder holder) {
    byte[] mac = SignatureBase64.decodeOrNull(hmacText(NODE_RESPONSE));
    ByteBuf buf = holder.make.apply(NODE_RESPONSE);
    try {
      int[] span = payloadSpan(buf);
      String payload = buf.toString(span[0], span[1], StandardCharsets.UTF_8);
      String member = ",\"instanceId\":\"instance1\"}";
      assertThat(payload).endsWith(member);
      int upToComma = span[1] - member.length(); // the span up to the comma, then '}'

      assertThat(HmacSha256.verify(EXAMPLE_SECRET, buf, span[0], span[1], mac)).isFalse();
      assertThat(HmacSha256.verifyWithSuffix(EXAMPLE_SECRET, buf, span[0], upToComma, (byte) '}', mac)).isTrue();
      assertThat(HmacSha256.verifyWithSuffix(EXAMPLE_SECRET, buf, span[0], upToComma, (byte) ']', mac)).isFalse();
      assertThat(HmacSha256.verifyWithSuffix(EXAMPLE_SECRET, buf, span[0], upToComma - 1, (byte) '}', mac)).isFalse();
    } finally {
      buf.release();
    }
  }

  @Test
  void sign_whenSpanOutsideTheBuffer_thenThrowsAndTheNextSignatureIsUnaffected() {
    ByteBuf buf = Unpooled.wrappedBuffer(KNOWN_PAYLOAD.getBytes(StandardCharsets.UTF_8));
    try {
      assertThatThrownBy(() -> HmacSha256.sign(KNOWN_SECRET, buf, 1, buf.capacity()))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> HmacSha256.sign(KNOWN_SECRET, buf, -1, 3)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThat(HexFormat.of().formatHex(HmacSha256.sign(KNOWN_SECRET, buf, 0, buf.readableBytes())))
          .isEqualTo(KNOWN_HEX);
    } finally {
      buf.release();
    }
  }

  /**
   * The pad blocks are hashed once per secret ({@link HmacKey}); the MACs must still be JCA's for keys shorter than,
   * equal to and longer than a SHA-256 block (a longer key is hashed first), a non-ASCII key, and spans longer than
   * the direct-buffer scratch, in heap and direct buffers, with and without a suffix, one after another on a thread.
   */
  @Test
  void sign_whenAnyKeyLengthAndSpan_thenEqualsJcaHmac() throws Exception {
    java.util.Random random = new java.util.Random(42);
    for (String secret : List.of("k", "k".repeat(63), "k".repeat(64), "k".repeat(65), "k".repeat(200), "ключ-秘密")) {
      javax.crypto.Mac jca = javax.crypto.Mac.getInstance("HmacSHA256");
      jca.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      for (int length : new int[] {0, 1, 55, 64, 262, 1024, 3000}) {
        byte[] bytes = new byte[length + 7];
        random.nextBytes(bytes);
        byte[] span = java.util.Arrays.copyOfRange(bytes, 3, 3 + length);
        byte[] expected = jca.doFinal(span);
        jca.update(span);
        jca.update((byte) '}');
        byte[] expectedWithSuffix = jca.doFinal();
        for (ByteBuf buf : List.of(Unpooled.wrappedBuffer(bytes), Unpooled.directBuffer(bytes.length).writeBytes(bytes))) {
          try {
            assertThat(HmacSha256.sign(secret, buf, 3, length)).as("%d bytes, key %s", length, secret)
                .isEqualTo(expected);
            assertThat(HmacSha256.verify(secret, buf, 3, length, expected)).isTrue();
            assertThat(HmacSha256.signWithSuffix(secret, buf, 3, length, (byte) '}')).isEqualTo(expectedWithSuffix);
            assertThat(HmacSha256.verifyWithSuffix(secret, buf, 3, length, (byte) '}', expectedWithSuffix)).isTrue();
          } finally {
            buf.release();
          }
        }
      }
    }
  }

  /** The raw text between {@code "payload":} and the last {@code ,"signature"}: enough for these fixed samples. */
  static int[] payloadSpan(ByteBuf buf) {
    String text = buf.toString(StandardCharsets.ISO_8859_1); // one char per byte: indices are byte offsets
    int start = text.indexOf("\"payload\":") + "\"payload\":".length();
    int end = text.lastIndexOf(",\"signature\"");
    return new int[] {buf.readerIndex() + start, end - start};
  }

  static String hmacText(String message) {
    int at = message.indexOf("\"HMAC\":\"") + "\"HMAC\":\"".length();
    return message.substring(at, message.indexOf('"', at));
  }
}
