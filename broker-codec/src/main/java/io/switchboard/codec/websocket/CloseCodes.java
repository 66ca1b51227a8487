package io.switchboard.codec.websocket;

/** The close codes of the protocol README's registry, with the reason texts the specs give. */
public final class CloseCodes {
  private CloseCodes() {}

  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;
  public static final int UNSUPPORTED_DATA = 1003;
  public static final int INVALID_PAYLOAD = 1007;
  public static final int POLICY = 1008;
  public static final int TOO_BIG = 1009;
  public static final int INTERNAL_ERROR = 1011;
  public static final int IDLE_TIMEOUT = 4000;
  public static final int UNAUTHORIZED = 4001;
  public static final int AUTH_TIMEOUT = 4002;
  public static final int TOO_MANY_INVALID = 4008;
  public static final int REPLACED = 4009;

  /**
   * Whether {@code code} may appear in a close frame on the wire (RFC 6455 §7.4): 1000-1003, 1007-1011, 1012-1014
   * (registered later), 3000-4999.
   */
  public static boolean isValidOnWire(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }
}
