package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.TestBroker;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connection caps and the handshake (request-head) deadline. */
class ConnectionLimitsTest {

  private static boolean closedByServer(Socket s, int millis) throws Exception {
    s.setSoTimeout(millis);
    InputStream in = s.getInputStream();
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void perIpCap_closesExtraConnectionsAtOnceAndCounts() throws Exception {
    try (TestBroker tb = TestBroker.builder().withoutStandardDialects()
        .config(c -> c.server().maxConnectionsPerIp(2)).start()) {
      try (Socket a = new Socket("127.0.0.1", tb.port()); Socket b = new Socket("127.0.0.1", tb.port());
          Socket c = new Socket("127.0.0.1", tb.port())) {
        // The connections land on two event loops, so which one is third is up to the scheduler: exactly one is
        // closed at once, the other two stay open.
        int closed = 0;
        for (Socket s : new Socket[] {a, b, c}) {
          closed += closedByServer(s, 500) ? 1 : 0;
        }
        assertThat(closed).isEqualTo(1);
      }
      assertThat(tb.counter("switchboard.connections.rejected", "reason", "max_connections_per_ip")).isEqualTo(1);
    }
  }

  @Test
  void silentConnection_isClosedAtTheHandshakeTimeout() throws Exception {
    try (TestBroker tb = TestBroker.builder().withoutStandardDialects()
        .config(c -> c.server().handshakeTimeout(Duration.ofMillis(300))).start()) {
      try (Socket s = new Socket("127.0.0.1", tb.port())) {
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes()); // head never completes
        long t0 = System.nanoTime();
        assertThat(closedByServer(s, 5_000)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
      }
    }
  }
}
