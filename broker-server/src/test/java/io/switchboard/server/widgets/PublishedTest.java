package io.switchboard.server.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The publish body parser: the message value is sliced out byte-exact, whatever buffer the body came in. */
class PublishedTest {
  private static final String BODY = "{\"author_id\":\"Zoë\",\"message\":{\"text\":\"Tor für Köln ⚽\",\"url\":\"https://x\"},"
      + "\"timestamp\":2365.123,\"type\":\"broadcast\",\"widget_key\":\"wk\"}";
  private static final String MESSAGE = "{\"text\":\"Tor für Köln ⚽\",\"url\":\"https://x\"}";

  @Test
  void heapBodyWithOffsetAndReaderIndex_slicesTheMessageExactly() {
    byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[bytes.length + 20];
    System.arraycopy(bytes, 0, padded, 12, bytes.length);
    ByteBuf slice = Unpooled.wrappedBuffer(padded).slice(5, bytes.length + 7); // a non-zero array offset
    slice.readerIndex(7);
    slice.writerIndex(7 + bytes.length);
    check(slice);
  }

  @Test
  void directBody_slicesTheMessageExactly() {
    byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
    ByteBuf direct = Unpooled.directBuffer(bytes.length + 3).writeBytes(new byte[3]).writeBytes(bytes);
    direct.readerIndex(3);
    try {
      check(direct);
    } finally {
      direct.release();
    }
  }

  private static void check(ByteBuf body) {
    int readerIndex = body.readerIndex();
    Published p = Published.parse(Published.factory(32), body);
    assertThat(p.messageJson).isEqualTo(MESSAGE);
    assertThat(p.url).isEqualTo("https://x");
    assertThat(p.authorId).isEqualTo("Zoë");
    assertThat(p.timestampText).isEqualTo("2365.123");
    assertThat(p.type).isEqualTo("broadcast");
    assertThat(p.widgetKey).isEqualTo("wk");
    assertThat(body.readerIndex()).as("not consumed").isEqualTo(readerIndex);
  }
}
