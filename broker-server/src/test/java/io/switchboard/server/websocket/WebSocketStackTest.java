package io.switchboard.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.EchoDialect;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.RawWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our WebSocket stack over real sockets, through the test-only echo dialect: limits, UTF-8, control frames, and the
 * one exception path mapping each error to its close code and counting it.
 */
class WebSocketStackTest {
  private static final Map<String, String> ECHO = Map.of("x-test-dialect", "echo");
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.builder().withoutStandardDialects()
        .dialect(new EchoDialect("127.0.0.1", 0, 1024, 4096))
        .start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static RawWebSocket open() throws Exception {
    RawWebSocket ws = RawWebSocket.connect("127.0.0.1", broker.port(), "/", ECHO);
    assertThat(ws.status()).isEqualTo(101);
    return ws;
  }

  @Test
  void upgrade_answers101WithoutSubprotocolWhenNoneConfigured() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect("127.0.0.1", broker.port(), "/?:443/",
        Map.of("x-test-dialect", "echo", "Sec-WebSocket-Protocol", "arduino"))) {
      assertThat(ws.status()).isEqualTo(101);
      assertThat(ws.header("sec-websocket-protocol")).isNull();
      assertThat(ws.header("upgrade")).isEqualToIgnoringCase("websocket");
    }
  }

  @Test
  void text_isEchoed() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.sendText("héllo");
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.opcode()).isEqualTo(RawWebSocket.TEXT);
      assertThat(f.text()).isEqualTo("héllo");
    }
  }

  @Test
  void fragments_areAssembledThenEchoed() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.sendFrame(RawWebSocket.TEXT, false, "ab".getBytes(StandardCharsets.UTF_8));
      ws.sendFrame(RawWebSocket.PING, true, "p".getBytes(StandardCharsets.UTF_8));
      ws.sendFrame(0x0, true, "cd".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame pong = ws.readFrame();
      assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
      assertThat(pong.text()).isEqualTo("p");
      assertThat(ws.readFrame().text()).isEqualTo("abcd");
    }
  }

  @Test
  void frameOverLimit_closesWith1009AndCounts() throws Exception {
    double before = broker.counter("switchboard.closes", "dialect", "echo", "code", "1009");
    try (RawWebSocket ws = open()) {
      ws.sendFrame(RawWebSocket.TEXT, true, new byte[2000]);
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(f.closeCode()).isEqualTo(1009);
      assertThat(ws.awaitEof(5_000)).isTrue();
    }
    assertThat(broker.counter("switchboard.closes", "dialect", "echo", "code", "1009")).isEqualTo(before + 1);
  }

  @Test
  void messageOverLimit_closesWith1009() throws Exception {
    try (RawWebSocket ws = open()) {
      for (int i = 0; i < 5; i++) {
        ws.sendFrame(i == 0 ? RawWebSocket.TEXT : 0x0, false, new byte[1000]);
      }
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void invalidUtf8_closesWith1007() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.sendFrame(RawWebSocket.TEXT, true, new byte[] {'a', (byte) 0xC3, (byte) 0x28});
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.closeCode()).isEqualTo(1007);
      assertThat(f.closeReason()).isEqualTo("invalid UTF-8");
    }
  }

  @Test
  void invalidCloseCode_closesWith1002() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.sendClose(1005, "");
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.closeCode()).isEqualTo(1002);
    }
  }

  @Test
  void oneByteCloseBody_closesWith1002() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03});
      assertThat(ws.readDataOrClose().closeCode()).isEqualTo(1002);
    }
  }

  @Test
  void closeWithInvalidUtf8Reason_closesWith1007() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF});
      assertThat(ws.readDataOrClose().closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void validClose_isEchoedAndTcpClosed() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.sendClose(4321, "bye");
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.closeCode()).isEqualTo(4321);
      assertThat(ws.awaitEof(5_000)).isTrue();
    }
  }

  @Test
  void unmaskedClientFrame_closesWith1002() throws Exception {
    try (RawWebSocket ws = open()) {
      ws.socket().getOutputStream().write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
      ws.socket().getOutputStream().flush();
      assertThat(ws.readDataOrClose().closeCode()).isEqualTo(1002);
    }
  }
}
