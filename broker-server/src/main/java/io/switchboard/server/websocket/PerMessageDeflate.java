package io.switchboard.server.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.switchboard.server.http.HttpExchange;
import java.util.Map;

/**
 * permessage-deflate (RFC 7692) negotiation for an upgrade that is already aggregated (so Netty's
 * {@code WebSocketServerExtensionHandler}, which watches the request go by, cannot be used): picks the first
 * acceptable offer and formats the response header. The decoder it yields caps each inflated message at the
 * session's message limit, so a small compressed frame cannot inflate into unbounded memory.
 */
final class PerMessageDeflate {
  private static final int COMPRESSION_LEVEL = 6;

  private PerMessageDeflate() {}

  /** The accepted extension, or null when the client offered none that is acceptable (declined: uncompressed). */
  static WebSocketServerExtension negotiate(HttpExchange ex, WebSocketSessionSpec spec) {
    String offered = ex.header(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
    if (offered == null || offered.isBlank()) {
      return null;
    }
    // Accepts the client's window and no-context-takeover requests (Python's websockets asks for 12-bit
    // windows); the inflater is capped at the message limit.
    PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
        COMPRESSION_LEVEL, true, PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, false,
        spec.maxMessageBytes());
    try {
      for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offered)) {
        WebSocketServerExtension accepted = handshaker.handshakeExtension(offer);
        if (accepted != null) {
          return accepted;
        }
      }
    } catch (RuntimeException malformed) {
      return null; // an unparsable offer is declined, as an unknown one is
    }
    return null;
  }

  /** {@code permessage-deflate; client_max_window_bits=12}: the 101's {@code Sec-WebSocket-Extensions}. */
  static String headerValue(WebSocketExtensionData data) {
    StringBuilder sb = new StringBuilder(data.name());
    for (Map.Entry<String, String> p : data.parameters().entrySet()) {
      sb.append("; ").append(p.getKey());
      if (p.getValue() != null) {
        sb.append('=').append(p.getValue());
      }
    }
    return sb.toString();
  }
}
