package io.switchboard.core.config;

import java.time.Duration;

/**
 * The shared listener and its connection rules.
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one (see {@code Switchboard.activeLocalPort()})
 * @param tls optional TLS
 * @param transport epoll, NIO or auto
 * @param ioThreads event loops; 0 means one per available processor
 * @param handshakeTimeout time a new connection has to complete its HTTP request head (slow-loris guard)
 * @param drainTimeout how long shutdown waits for sockets to close after sending 1001
 * @param maxConnections connections open at once on all listeners
 * @param maxConnectionsPerIp connections open at once from one remote address
 * @param writeBufferHighWaterMark bytes queued on a socket before it stops being writable
 * @param writeBufferLowWaterMark bytes queued below which a socket is writable again
 * @param limits HTTP and WebSocket size limits
 */
public record ServerConfig(
    String host,
    int port,
    TlsConfig tls,
    TransportKind transport,
    int ioThreads,
    Duration handshakeTimeout,
    Duration drainTimeout,
    int maxConnections,
    int maxConnectionsPerIp,
    int writeBufferHighWaterMark,
    int writeBufferLowWaterMark,
    ServerLimits limits) {

  public ServerConfig {
    Checks.notBlank("server.host", host);
    Checks.port("server.port", port);
    Checks.notNull("server.tls", tls);
    Checks.notNull("server.transport", transport);
    Checks.range("server.ioThreads", ioThreads, 0, 1024);
    Checks.positive("server.handshakeTimeout", handshakeTimeout);
    Checks.positive("server.drainTimeout", drainTimeout);
    Checks.positive("server.maxConnections", maxConnections);
    Checks.positive("server.maxConnectionsPerIp", maxConnectionsPerIp);
    Checks.atLeast("server.writeBufferHighWaterMark", writeBufferHighWaterMark, 1024);
    Checks.positive("server.writeBufferLowWaterMark", writeBufferLowWaterMark);
    if (writeBufferLowWaterMark >= writeBufferHighWaterMark) {
      throw new ConfigException("server.writeBufferLowWaterMark", writeBufferLowWaterMark
          + " (expected: < server.writeBufferHighWaterMark, " + writeBufferHighWaterMark + ")");
    }
    Checks.notNull("server.limits", limits);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.tls = tls;
    b.transport = transport;
    b.ioThreads = ioThreads;
    b.handshakeTimeout = handshakeTimeout;
    b.drainTimeout = drainTimeout;
    b.maxConnections = maxConnections;
    b.maxConnectionsPerIp = maxConnectionsPerIp;
    b.writeBufferHighWaterMark = writeBufferHighWaterMark;
    b.writeBufferLowWaterMark = writeBufferLowWaterMark;
    b.limits = limits;
    return b;
  }

  /** Mutable builder holding the safe defaults. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private TlsConfig tls = TlsConfig.disabled();
    private TransportKind transport = TransportKind.AUTO;
    private int ioThreads = 0;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration drainTimeout = Duration.ofSeconds(5);
    private int maxConnections = 50_000;
    private int maxConnectionsPerIp = 20_000;
    private int writeBufferHighWaterMark = 128 << 10;
    private int writeBufferLowWaterMark = 32 << 10;
    private ServerLimits limits = ServerLimits.defaults();

    private Builder() {}

    public Builder host(String v) { host = v; return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder tls(TlsConfig v) { tls = v; return this; }
    public Builder transport(TransportKind v) { transport = v; return this; }
    public Builder ioThreads(int v) { ioThreads = v; return this; }
    public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
    public Builder drainTimeout(Duration v) { drainTimeout = v; return this; }
    public Builder maxConnections(int v) { maxConnections = v; return this; }
    public Builder maxConnectionsPerIp(int v) { maxConnectionsPerIp = v; return this; }
    public Builder writeBufferHighWaterMark(int v) { writeBufferHighWaterMark = v; return this; }
    public Builder writeBufferLowWaterMark(int v) { writeBufferLowWaterMark = v; return this; }
    public Builder limits(ServerLimits v) { limits = v; return this; }
    public ServerLimits limits() { return limits; }

    public ServerConfig build() {
      return new ServerConfig(host, port, tls, transport, ioThreads, handshakeTimeout, drainTimeout, maxConnections,
          maxConnectionsPerIp, writeBufferHighWaterMark, writeBufferLowWaterMark, limits);
    }
  }
}
