package io.switchboard.server.widgets.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to all its addresses (A and AAAA), once per hop. Pluggable for tests. */
@FunctionalInterface
public interface HostResolver {

  /** All addresses of {@code host}; an empty array or {@link UnknownHostException} is a DNS failure. */
  InetAddress[] resolve(String host) throws UnknownHostException;

  /** {@link InetAddress#getAllByName}. */
  static HostResolver system() {
    return InetAddress::getAllByName;
  }
}
