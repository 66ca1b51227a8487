package io.switchboard.server.websocket;

import io.netty.channel.Channel;
import io.switchboard.codec.websocket.ControlFrameHandler;
import io.switchboard.core.stream.ChannelSubscriber;
import io.switchboard.server.pipeline.HandlerNames;

/**
 * A dialect's handle on its socket: the dialect name and the closing handshake. Broker-initiated closes go through
 * here (or through a {@link io.switchboard.codec.websocket.WebSocketCloseException}), so each is counted once in
 * {@code switchboard_closes_total{dialect,code}}.
 */
public final class WebSocketSession {
  private final String dialect;
  private final Channel channel;
  private final ControlFrameHandler control;

  WebSocketSession(String dialect, Channel channel, ControlFrameHandler control) {
    this.dialect = dialect;
    this.channel = channel;
    this.control = control;
  }

  public String dialect() {
    return dialect;
  }

  public Channel channel() {
    return channel;
  }

  /** Graceful close with {@code code}; safe from any thread. */
  public void close(int code, String reason) {
    if (channel.eventLoop().inEventLoop()) {
      control.close(code, reason);
    } else {
      channel.eventLoop().execute(() -> control.close(code, reason));
    }
  }

  /** Fails the connection with {@code code}: close frame, then TCP close at once; safe from any thread. */
  public void fail(int code, String reason) {
    if (channel.eventLoop().inEventLoop()) {
      control.fail(code, reason);
    } else {
      channel.eventLoop().execute(() -> control.fail(code, reason));
    }
  }

  private volatile int brokerCloseCode = -1;

  void closedByBroker(int code) {
    brokerCloseCode = code;
  }

  /** The close code the broker sent to end this socket (counted once), or -1 when it did not close it. */
  public int brokerCloseCode() {
    return brokerCloseCode;
  }

  /**
   * Lets {@code subscriber} write its pre-encoded frames from the control handler, skipping that handler's call per
   * frame; the subscriber drops them instead once our close frame is out, which is all the handler did to them.
   */
  public ChannelSubscriber framesFromControl(ChannelSubscriber subscriber) {
    return subscriber.writeFrom(HandlerNames.WS_CONTROL, () -> !control.isCloseSent());
  }

  /** Whether a close frame was sent or received. */
  public boolean isClosing() {
    return control.isClosing();
  }
}
