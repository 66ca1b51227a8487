package io.switchboard.server.pipeline;

/** Names of the handlers in a listener's pipeline, in pipeline order. */
public final class HandlerNames {
  private HandlerNames() {}

  public static final String CONNECTION_LIMIT = "connection-limit";
  public static final String TLS = "tls";
  public static final String REQUEST_DEADLINE = "request-deadline";
  public static final String HTTP = "http";
  public static final String HTTP_KEEPALIVE = "http-keepalive";
  public static final String HTTP_AGGREGATE = "http-aggregate";
  public static final String DISPATCH = "dispatch";

  // Installed by the WebSocket upgrade in place of the HTTP handlers (the frame codec is added by Netty's handshaker
  // as "wsdecoder"/"wsencoder").
  public static final String WS_INFLATE = "ws-inflate"; // permessage-deflate, right after "wsdecoder"
  public static final String WS_UTF8 = "ws-utf8";
  public static final String WS_CONTROL = "ws-control";
  public static final String WS_AGGREGATE = "ws-aggregate";
  public static final String WS_IDLE = "ws-idle";
  public static final String SESSION = "session";
  public static final String SUBSCRIBER = "subscriber";

  /** Always last: the one exception path of the pipeline. */
  public static final String EXCEPTIONS = "exceptions";
}
