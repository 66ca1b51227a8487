package io.switchboard.bench.harness.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NatsProtocolHandlerTest {

  private static String readOutbound(EmbeddedChannel ch) {
    StringBuilder b = new StringBuilder();
    ByteBuf out;
    while ((out = ch.readOutbound()) != null) {
      b.append(out.toString(StandardCharsets.US_ASCII));
      out.release();
    }
    return b.toString();
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  @Test
  void decode_whenMessagesSplitAcrossReads_thenEachPayloadOnce() {
    List<String> payloads = new ArrayList<>();
    AtomicInteger errors = new AtomicInteger();
    NatsProtocolHandler h = new NatsProtocolHandler("bench.s", b -> payloads.add(b.toString(StandardCharsets.US_ASCII)),
        errors::incrementAndGet);
    EmbeddedChannel ch = new EmbeddedChannel(h);
    assertThat(readOutbound(ch)).startsWith("CONNECT {").contains("\r\nSUB bench.s 1\r\nPING\r\n");
    ch.writeInbound(ascii("INFO {\"server_id\":\"x\"}\r\n+OK\r\nPONG\r\nMSG bench.s 1 5\r\nhel"));
    assertThat(h.ready()).isCompleted();
    ch.writeInbound(ascii("lo\r\nMSG bench.s 1 reply.to 3\r\nabc\r\nPI"));
    ch.writeInbound(ascii("NG\r\n-ERR 'Slow Consumer'\r\n"));
    assertThat(payloads).containsExactly("hello", "abc");
    assertThat(readOutbound(ch)).isEqualTo("PONG\r\n");
    assertThat(errors).hasValue(1);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void connect_whenPublishOnly_thenNoSub() {
    EmbeddedChannel ch = new EmbeddedChannel(new NatsProtocolHandler(null, b -> { }, () -> { }));
    assertThat(readOutbound(ch)).doesNotContain("SUB").endsWith("PING\r\n");
    assertThat(ch.finish()).isFalse();
  }
}
