package io.switchboard.server.dialect;

import io.switchboard.core.config.TlsConfig;

/**
 * A listener of one dialect, for example TLS on 443 and plain on 80 for unmodified ESP devices.
 *
 * @param host address to bind
 * @param port port to bind (0: any free port)
 * @param tls TLS settings, or disabled
 */
public record ListenerSpec(String host, int port, TlsConfig tls) {

  /** Plain listeners from config entries {@code host:port} (already validated by the dialect's config record). */
  public static java.util.List<ListenerSpec> parseAll(java.util.List<String> hostPorts) {
    return hostPorts.stream().map(l -> {
      int colon = l.lastIndexOf(':');
      return new ListenerSpec(l.substring(0, colon), Integer.parseInt(l.substring(colon + 1)), null);
    }).toList();
  }
}
