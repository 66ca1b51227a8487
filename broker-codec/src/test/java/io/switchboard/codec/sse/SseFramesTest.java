package io.switchboard.codec.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.CharsetUtil;
import org.junit.jupiter.api.Test;

class SseFramesTest {

  private static String encode(long id, String event, String data) {
    ByteBuf payload = Unpooled.copiedBuffer(data, CharsetUtil.UTF_8);
    ByteBuf out = SseFrames.event(ByteBufAllocator.DEFAULT, id, event, payload);
    try {
      return out.toString(CharsetUtil.UTF_8);
    } finally {
      out.release();
      payload.release();
    }
  }

  @Test
  void event_whenSingleLine_thenIdAndData() {
    assertThat(encode(42, null, "{\"a\":1}")).isEqualTo("id: 42\ndata: {\"a\":1}\n\n");
  }

  @Test
  void event_whenZeroIdAndType_thenBothWritten() {
    assertThat(encode(0, "init", "x")).isEqualTo("id: 0\nevent: init\ndata: x\n\n");
  }

  @Test
  void event_whenLineBreaks_thenOneDataLinePerLine() {
    assertThat(encode(-1, null, "a\nb\r\nc\rd")).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
  }

  @Test
  void event_whenLargeId_thenDecimal() {
    assertThat(encode(1234567890123L, null, "")).isEqualTo("id: 1234567890123\ndata: \n\n");
  }

  @Test
  void comment_isKeepalive() {
    ByteBuf c = SseFrames.comment(ByteBufAllocator.DEFAULT, "keepalive");
    assertThat(c.toString(CharsetUtil.UTF_8)).isEqualTo(": keepalive\n\n");
    c.release();
  }
}
