package io.switchboard.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The baseline fan-out writes one pre-encoded frame per subscriber and shape, and releases everything. */
class FanoutRegistryTest {

  private static String drain(EmbeddedChannel ch) {
    StringBuilder b = new StringBuilder();
    ByteBuf out;
    while ((out = ch.readOutbound()) != null) {
      b.append(out.toString(StandardCharsets.ISO_8859_1));
      out.release();
    }
    return b.toString();
  }

  @Test
  void broadcast_writesAWebSocketFrameOrAnSseEventToEachSubscriber() {
    FanoutRegistry.Topic topic = new FanoutRegistry().topic("s1");
    EmbeddedChannel ws1 = new EmbeddedChannel();
    EmbeddedChannel ws2 = new EmbeddedChannel();
    EmbeddedChannel sse = new EmbeddedChannel();
    topic.add(ws1, false);
    topic.add(ws2, false);
    topic.add(sse, true);
    ByteBuf env = Unpooled.copiedBuffer("{\"seq\":7}", StandardCharsets.US_ASCII);
    try {
      topic.broadcast(ByteBufAllocator.DEFAULT, env, 7);
    } finally {
      env.release();
    }
    for (EmbeddedChannel ch : new EmbeddedChannel[] {ws1, ws2, sse}) {
      ch.runPendingTasks();
    }
    String frame = drain(ws1);
    assertThat(frame.charAt(0)).isEqualTo((char) 0x81);
    assertThat(frame.charAt(1)).isEqualTo((char) 9);
    assertThat(frame.substring(2)).isEqualTo("{\"seq\":7}");
    assertThat(drain(ws2)).isEqualTo(frame);
    assertThat(drain(sse)).isEqualTo("id: 7\ndata: {\"seq\":7}\n\n");
    assertThat(topic.viewers).hasValue(3);
    ws1.close();
    assertThat(topic.viewers).hasValue(2);
    for (EmbeddedChannel ch : new EmbeddedChannel[] {ws1, ws2, sse}) {
      assertThat(ch.finish()).isFalse();
    }
  }

  @Test
  void wsFrame_usesTheExtendedLengthPastOneHundredTwentyFive() {
    ByteBuf payload = Unpooled.copiedBuffer("x".repeat(300), StandardCharsets.US_ASCII);
    ByteBuf f = FanoutRegistry.wsFrame(ByteBufAllocator.DEFAULT, payload);
    try {
      assertThat(f.getUnsignedByte(1)).isEqualTo((short) 126);
      assertThat(f.getUnsignedShort(2)).isEqualTo(300);
      assertThat(f.readableBytes()).isEqualTo(304);
    } finally {
      f.release();
      payload.release();
    }
  }
}
