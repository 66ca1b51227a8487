package io.switchboard.codec.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.CharsetUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pre-encoded frames must decode, with Netty's own client-side decoder, to exactly the payload. */
class WebSocketFramesTest {

  private static EmbeddedChannel clientDecoder() {
    return new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 100_000})
  void text_whenDecodedByPeer_thenYieldsPayload(int size) {
    ByteBuf payload = Unpooled.buffer(size);
    for (int i = 0; i < size; i++) {
      payload.writeByte('a' + i % 26);
    }
    ByteBuf frame = WebSocketFrames.text(ByteBufAllocator.DEFAULT, payload);
    assertThat(frame.readableBytes()).isEqualTo(WebSocketFrames.headerLength(size) + size);
    EmbeddedChannel ch = clientDecoder();
    ch.writeInbound(frame);
    TextWebSocketFrame f = ch.readInbound();
    assertThat(f.isFinalFragment()).isTrue();
    assertThat(f.content()).isEqualTo(payload);
    assertThat(payload.readerIndex()).as("payload is not consumed").isZero();
    f.release();
    payload.release();
    assertThat(ch.finish()).isFalse();
  }

  @org.junit.jupiter.api.Test
  void close_whenReasonTooLong_thenCutsAtUtf8Boundary() {
    String reason = "é".repeat(100); // 200 bytes
    EmbeddedChannel ch = clientDecoder();
    ch.writeInbound(WebSocketFrames.close(ByteBufAllocator.DEFAULT, 1008, reason));
    CloseWebSocketFrame f = ch.readInbound();
    assertThat(f.statusCode()).isEqualTo(1008);
    assertThat(f.reasonText()).isEqualTo("é".repeat(61));
    assertThat(f.content().readableBytes()).isLessThanOrEqualTo(125);
    f.release();
    assertThat(ch.finish()).isFalse();
  }

  @org.junit.jupiter.api.Test
  void isValidOnWire_matchesRfc6455() {
    assertThat(CloseCodes.isValidOnWire(1000)).isTrue();
    assertThat(CloseCodes.isValidOnWire(1004)).isFalse();
    assertThat(CloseCodes.isValidOnWire(1005)).isFalse();
    assertThat(CloseCodes.isValidOnWire(1006)).isFalse();
    assertThat(CloseCodes.isValidOnWire(1015)).isFalse();
    assertThat(CloseCodes.isValidOnWire(2999)).isFalse();
    assertThat(CloseCodes.isValidOnWire(4009)).isTrue();
    assertThat(CloseCodes.isValidOnWire(5000)).isFalse();
  }

  static String utf8(ByteBuf b) {
    return b.toString(CharsetUtil.UTF_8);
  }
}
