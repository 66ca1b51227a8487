package io.switchboard.server.widgets.webhook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;

/**
 * Opens a TCP connection to an already-checked address (never a name: {@code address} is resolved). The seam where
 * tests count connection attempts. TLS is layered on top by the client.
 */
@FunctionalInterface
public interface Connector {

  /** A connected socket to {@code address}, within {@code timeoutMillis}. */
  Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException;

  /** A plain socket, {@link Proxy#NO_PROXY} (no proxy from the environment). */
  static Connector direct() {
    return (address, timeoutMillis) -> {
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("unresolved address " + address);
      }
      Socket s = new Socket(Proxy.NO_PROXY);
      try {
        s.setTcpNoDelay(true);
        s.connect(address, Math.max(1, timeoutMillis));
        return s;
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
    };
  }
}
