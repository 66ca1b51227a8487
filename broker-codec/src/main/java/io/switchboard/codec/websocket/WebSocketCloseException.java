package io.switchboard.codec.websocket;

/**
 * A protocol violation or policy decision that ends a WebSocket with {@link #code()} and {@link #reason()}.
 * Thrown (or fired) toward the pipeline's exception handler, which sends the close frame, counts the close and
 * closes the socket: the one path every broker-initiated close takes. Stackless: it is a decision, not a bug.
 */
public final class WebSocketCloseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public WebSocketCloseException(int code, String reason) {
    super(reason, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return getMessage();
  }
}
