package io.switchboard.server.websocket;

/**
 * User event fired through a WebSocket pipeline once the 101 response is on the wire: from then on the dialect's
 * handlers may write frames (before it, Netty's HTTP encoder is still in the pipeline).
 *
 * @param subprotocol the selected subprotocol, or {@code null}
 */
public record WebSocketOpened(String subprotocol) {}
