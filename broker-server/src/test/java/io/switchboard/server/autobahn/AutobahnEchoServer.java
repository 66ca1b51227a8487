package io.switchboard.server.autobahn;

import io.switchboard.core.Switchboard;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.ServerLimits;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.server.HttpTransport;
import io.switchboard.server.testing.EchoDialect;
import java.net.InetAddress;

/**
 * The server the Autobahn fuzzing client (autobahntestsuite-maven-plugin, test phase) runs against: a real broker
 * whose only extra is the test-only echo dialect on the port the plugin picks. The plugin calls {@code main} with
 * that port and connects to {@code InetAddress.getLocalHost()}.
 */
public final class AutobahnEchoServer {
  private AutobahnEchoServer() {}

  /** Frame and message limit: Autobahn section 9 sends messages of up to 16 MiB. */
  private static final int LIMIT = 16 << 20;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String host = InetAddress.getLocalHost().getHostAddress();
    BrokerConfig.Builder cfg = BrokerConfig.builder().port(0);
    cfg.server().host("127.0.0.1").limits(new ServerLimits(4096, 8192, 1 << 20, LIMIT, LIMIT));
    cfg.store().engine(StoreEngine.MEMORY);
    Switchboard broker = Switchboard.builder()
        .config(cfg.build())
        .transport(HttpTransport.builder().dialect(new EchoDialect(host, port, LIMIT, LIMIT)).build())
        .build();
    broker.start().join();
  }
}
