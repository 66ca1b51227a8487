package io.switchboard.bench.harness.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StampTest {

  @Test
  void write_isTheRequestedSizeAndReadsBackInsideAnEnvelope() {
    ByteBuf msg = Unpooled.buffer();
    ByteBuf env = Unpooled.buffer();
    try {
      Stamp.write(msg, 123_456_789_012L, 7, 300);
      assertThat(msg.readableBytes()).isEqualTo(300);
      assertThat(msg.toString(StandardCharsets.US_ASCII)).startsWith("{\"bt\":123456789012,\"bs\":7,\"p\":\"x")
          .endsWith("x\"}");
      env.writeCharSequence("{\"stream_id\":\"1\",\"message\":", StandardCharsets.US_ASCII);
      env.writeBytes(msg);
      env.writeCharSequence(",\"seq\":9}", StandardCharsets.US_ASCII);
      assertThat(Stamp.intendedTime(env)).isEqualTo(123_456_789_012L);
    } finally {
      msg.release();
      env.release();
    }
  }

  @Test
  void intendedTime_whenNoMarker_thenMinusOne() {
    ByteBuf b = Unpooled.copiedBuffer("{\"type\":\"system\",\"message\":{\"status\":\"join\"}}", StandardCharsets.UTF_8);
    try {
      assertThat(Stamp.intendedTime(b)).isEqualTo(-1);
      assertThat(Stamp.token(b)).isNull();
    } finally {
      b.release();
    }
  }

  @Test
  void token_readsTheInitToken() {
    ByteBuf b = Unpooled.copiedBuffer("{\"stream_id\":\"1\",\"message\":{\"token\":\"MHQXsnMn-_k\",\"user_id\":\"u\"},"
        + "\"type\":\"init\"}", StandardCharsets.UTF_8);
    try {
      assertThat(Stamp.token(b)).isEqualTo("MHQXsnMn-_k");
    } finally {
      b.release();
    }
  }

  @Test
  void indexOf_findsTheMarkWhereStringIndexOfDoes_fromTheReaderIndex() {
    java.util.Random random = new java.util.Random(7);
    byte[] mark = "\"bt\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String alphabet = "\"bt:x";
    for (int n = 0; n < 5_000; n++) {
      StringBuilder text = new StringBuilder();
      int len = random.nextInt(40);
      for (int k = 0; k < len; k++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      int skip = random.nextInt(4);
      ByteBuf b = Unpooled.copiedBuffer("\"bt\":".substring(0, skip) + text, java.nio.charset.StandardCharsets.US_ASCII);
      try {
        b.readerIndex(skip);
        int expected = text.indexOf("\"bt\":");
        assertThat(Stamp.indexOf(b, mark)).as(text.toString()).isEqualTo(expected < 0 ? -1 : expected + skip);
      } finally {
        b.release();
      }
    }
  }
}
