package io.switchboard.codec.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8TextValidatorTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "", "7b22613a2231227d", // {"a":"1"}
      "c2a9", "dfbf", "e0a080", "efbfbf", "ed9fbf", "ee8080", "f0908080", "f48fbfbf", "f3bfbfbf",
      "414243444546474849c3a9414243444546474849"})
  void acceptsUtf8_inOneFrame_andSplitAtEveryByte(String hex) {
    assertEverySplit(HexFormat.of().parseHex(hex), true);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "80", "bf", "c0af", "c1bf", "c2", "c27f", "c2c0", "e080af", "e09fbf", "eda080", "edbfbf", "e0a0", "efbf",
      "f08f8080", "f4908080", "f5808080", "ff", "fe", "f0908080c3", "41424344454647c3", "4142434445464748c328"})
  void refusesWhatIsNotUtf8_inOneFrame_andSplitAtEveryByte(String hex) {
    assertEverySplit(HexFormat.of().parseHex(hex), false);
  }

  /** Whole, then cut in two at every byte: each time the message passes exactly when {@code valid}. */
  private static void assertEverySplit(byte[] bytes, boolean valid) {
    assertThat(passes(List.of(bytes))).isEqualTo(valid);
    for (int cut = 1; cut < bytes.length; cut++) {
      assertThat(passes(split(bytes, cut))).as("split at %d", cut).isEqualTo(valid);
    }
  }

  @Test
  void agreesWithTheJdkDecoder_onRandomMessagesInRandomFragments() {
    Random random = new Random(20261203);
    int valid = 0;
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = randomMessage(random);
      List<byte[]> fragments = randomFragments(bytes, random);
      boolean expected = jdkAccepts(bytes);
      valid += expected ? 1 : 0;
      assertThat(passes(fragments)).as("%s", HexFormat.of().formatHex(bytes)).isEqualTo(expected);
    }
    assertThat(valid).as("both outcomes are exercised").isBetween(2_000, 18_000);
  }

  @Test
  void refusal_releasesTheFrame_andRaises1007() {
    EmbeddedChannel ch = new EmbeddedChannel(new Utf8TextValidator());
    TextWebSocketFrame bad = new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC0, (byte) 0x80}));
    assertThatThrownBy(() -> ch.writeInbound(bad))
        .isInstanceOfSatisfying(CorruptedWebSocketFrameException.class,
            e -> assertThat(e.closeStatus()).isEqualTo(WebSocketCloseStatus.INVALID_PAYLOAD_DATA));
    assertThat(bad.refCnt()).isZero();
    assertThat((Object) ch.readInbound()).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void binaryMessages_andTheirContinuations_passUnchecked() {
    EmbeddedChannel ch = new EmbeddedChannel(new Utf8TextValidator());
    ch.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF})));
    ch.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xC0})));
    assertThat(ch.inboundMessages()).hasSize(2);
    ch.finishAndReleaseAll();
  }

  @Test
  void controlFramesBetweenFragments_doNotDisturbAnOpenCodePoint() {
    EmbeddedChannel ch = new EmbeddedChannel(new Utf8TextValidator());
    ch.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xE2})));
    ch.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF})));
    ch.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, (byte) 0xAC})));
    assertThat(ch.inboundMessages()).hasSize(3);
    ch.finishAndReleaseAll();
  }

  @Test
  void anOpenCodePointAtTheEndOfAFinalFrame_isRefused_andTheNextMessageStartsClean() {
    EmbeddedChannel ch = new EmbeddedChannel(new Utf8TextValidator());
    assertThatThrownBy(() -> ch.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xE2}))))
        .isInstanceOf(CorruptedWebSocketFrameException.class);
    ch.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'o', 'k'})));
    assertThat(ch.inboundMessages()).hasSize(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void directBuffers_areCheckedAlike() {
    byte[] bytes = "{\"value\":\"caf\u00e9 \u20ac \ud83d\ude00 plus some ascii\"}".getBytes(StandardCharsets.UTF_8);
    for (boolean corrupt : new boolean[] {false, true}) {
      EmbeddedChannel ch = new EmbeddedChannel(new Utf8TextValidator());
      ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
      if (corrupt) {
        direct.setByte(bytes.length - 3, 0xBF);
      }
      if (corrupt) {
        assertThatThrownBy(() -> ch.writeInbound(new TextWebSocketFrame(direct)))
            .isInstanceOf(CorruptedWebSocketFrameException.class);
      } else {
        ch.writeInbound(new TextWebSocketFrame(direct));
        assertThat(ch.inboundMessages()).hasSize(1);
      }
      ch.finishAndReleaseAll();
    }
  }

  /** Whether the fragments, sent as one text message through a fresh validator, pass; all buffers released. */
  private static boolean passes(List<byte[]> fragments) {
    EmbeddedChannel ch = new EmbeddedChannel(new Utf8TextValidator());
    try {
      for (int i = 0; i < fragments.size(); i++) {
        boolean last = i == fragments.size() - 1;
        // Not wrappedBuffer: an empty array would give the shared EMPTY_BUFFER, which is never released.
        ByteBuf content = Unpooled.buffer(fragments.get(i).length).writeBytes(fragments.get(i));
        WebSocketFrame frame = i == 0 ? new TextWebSocketFrame(last, 0, content)
            : new ContinuationWebSocketFrame(last, 0, content);
        try {
          ch.writeInbound(frame);
        } catch (CorruptedWebSocketFrameException e) {
          assertThat(frame.refCnt()).isZero();
          return false;
        }
      }
      assertThat(ch.inboundMessages()).hasSize(fragments.size());
      return true;
    } finally {
      for (Object m; (m = ch.readInbound()) != null; ) {
        ReferenceCountUtil.release(m);
      }
      ch.finishAndReleaseAll();
    }
  }

  private static List<byte[]> split(byte[] bytes, int cut) {
    List<byte[]> out = new ArrayList<>();
    out.add(java.util.Arrays.copyOfRange(bytes, 0, cut));
    out.add(java.util.Arrays.copyOfRange(bytes, cut, bytes.length));
    return out;
  }

  /** ASCII runs (long enough to reach the eight-byte path), encoded code points, and now and then a stray byte. */
  private static byte[] randomMessage(Random random) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int parts = 1 + random.nextInt(6);
    for (int p = 0; p < parts; p++) {
      switch (random.nextInt(4)) {
        case 0 -> {
          int n = random.nextInt(20);
          for (int k = 0; k < n; k++) {
            out.write(0x20 + random.nextInt(0x5F));
          }
        }
        case 1 -> {
          int cp = random.nextInt(0x110000);
          if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xE000;
          }
          out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        }
        case 2 -> out.write(random.nextInt(256)); // valid only when it is ASCII
        default -> {
          byte[] enc = new String(Character.toChars(0x80 + random.nextInt(0x10FF80 - 0x800)))
              .getBytes(StandardCharsets.UTF_8);
          out.write(enc, 0, 1 + random.nextInt(enc.length)); // maybe cut short
        }
      }
    }
    return out.toByteArray();
  }

  private static List<byte[]> randomFragments(byte[] bytes, Random random) {
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    int pieces = random.nextInt(4);
    for (int k = 0; k < pieces && from < bytes.length; k++) {
      int to = from + random.nextInt(bytes.length - from + 1);
      out.add(java.util.Arrays.copyOfRange(bytes, from, to));
      from = to;
    }
    out.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    return out;
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
