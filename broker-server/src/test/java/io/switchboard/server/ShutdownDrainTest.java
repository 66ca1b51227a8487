package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.StreamTestDialect;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping drains: open WebSockets get 1001, the listener stops accepting, and stop completes. */
class ShutdownDrainTest {

  @Test
  void stop_sends1001ToOpenSocketsAndStopsListening() throws Exception {
    TestBroker tb = TestBroker.builder().withoutStandardDialects().dialect(new StreamTestDialect()).start();
    int port = tb.port();
    assertThat(Http.get(port, "/ready").statusCode()).isEqualTo(200);
    try (RawWebSocket ws = RawWebSocket.connect("127.0.0.1", port, "/test/streams/x", Map.of())) {
      assertThat(ws.status()).isEqualTo(101);
      var stopped = tb.broker().stop();
      RawWebSocket.Frame f = ws.readDataOrClose();
      assertThat(f.closeCode()).isEqualTo(1001);
      assertThat(f.closeReason()).isEqualTo("server shutting down");
      ws.sendClose(1001, "");
      stopped.get(10, TimeUnit.SECONDS);
    }
    assertThat(tb.counter("switchboard.closes", "dialect", "test-streams", "code", "1001")).isEqualTo(1);
    assertThat(canConnect(port)).isFalse();
  }

  private static boolean canConnect(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (Exception e) {
      return false;
    }
  }
}
