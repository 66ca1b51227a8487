package io.switchboard.core.config;

/**
 * Size limits of the shared HTTP/WebSocket listener. A dialect can narrow them for its own sockets.
 *
 * @param maxInitialLineBytes longest HTTP request line
 * @param maxHeaderBytes total size of the HTTP request headers
 * @param maxHttpBodyBytes largest HTTP request body (413 beyond)
 * @param maxFramePayloadBytes largest single WebSocket frame payload (close 1009 beyond)
 * @param maxMessageBytes largest WebSocket message assembled from fragments (close 1009 beyond)
 */
public record ServerLimits(
    int maxInitialLineBytes, int maxHeaderBytes, int maxHttpBodyBytes, int maxFramePayloadBytes, int maxMessageBytes) {

  public ServerLimits {
    Checks.atLeast("server.limits.maxInitialLineBytes", maxInitialLineBytes, 256);
    Checks.atLeast("server.limits.maxHeaderBytes", maxHeaderBytes, 1024);
    Checks.positive("server.limits.maxHttpBodyBytes", maxHttpBodyBytes);
    Checks.atLeast("server.limits.maxFramePayloadBytes", maxFramePayloadBytes, 125);
    Checks.atLeast("server.limits.maxMessageBytes", maxMessageBytes, 125);
    if (maxMessageBytes < maxFramePayloadBytes) {
      throw new ConfigException("server.limits.maxMessageBytes",
          maxMessageBytes + " (expected: >= server.limits.maxFramePayloadBytes, " + maxFramePayloadBytes + ")");
    }
  }

  public static ServerLimits defaults() {
    return new ServerLimits(4096, 8192, 1 << 20, 64 << 10, 1 << 20);
  }
}
