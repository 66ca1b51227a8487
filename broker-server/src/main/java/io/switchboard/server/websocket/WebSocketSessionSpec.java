package io.switchboard.server.websocket;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Objects;

/**
 * What a dialect asks of a WebSocket upgrade it accepted.
 *
 * @param dialect metric and log name, for example {@code devices}
 * @param subprotocols subprotocols the dialect speaks, in preference order; the first one the client offers is
 *     echoed. Empty: none is selected, whatever the client offers (the ESP's {@code arduino} must not be echoed)
 * @param maxFramePayloadBytes largest frame accepted (close 1009 beyond)
 * @param maxMessageBytes largest assembled message accepted (close 1009 beyond)
 * @param responseHeaders extra headers for the 101 response, or {@code null}
 * @param installer adds the dialect's handlers; runs on the channel's loop before the 101 response is written.
 *     Handlers must not write before they see {@link WebSocketOpened}
 * @param permessageDeflate accept permessage-deflate (RFC 7692) when the client offers it; inbound messages then
 *     inflate to at most {@code maxMessageBytes} (close 1009 beyond)
 */
public record WebSocketSessionSpec(
    String dialect,
    List<String> subprotocols,
    int maxFramePayloadBytes,
    int maxMessageBytes,
    HttpHeaders responseHeaders,
    Installer installer,
    boolean permessageDeflate) {

  public WebSocketSessionSpec {
    Objects.requireNonNull(dialect, "dialect");
    subprotocols = List.copyOf(subprotocols);
    Objects.requireNonNull(installer, "installer");
  }

  /** A session that declines permessage-deflate (every compatible client then carries on uncompressed). */
  public WebSocketSessionSpec(String dialect, List<String> subprotocols, int maxFramePayloadBytes, int maxMessageBytes,
      HttpHeaders responseHeaders, Installer installer) {
    this(dialect, subprotocols, maxFramePayloadBytes, maxMessageBytes, responseHeaders, installer, false);
  }

  /** Adds a dialect's session handlers. */
  @FunctionalInterface
  public interface Installer {
    /**
     * @param pipeline the channel's pipeline; add handlers with {@code addBefore(HandlerNames.EXCEPTIONS, ...)}
     * @param session the socket's control handle (graceful close, fail)
     */
    void install(ChannelPipeline pipeline, WebSocketSession session);
  }
}
