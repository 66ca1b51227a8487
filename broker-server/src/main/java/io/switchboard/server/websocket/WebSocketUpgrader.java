package io.switchboard.server.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.switchboard.codec.websocket.ControlFrameHandler;
import io.switchboard.codec.websocket.Utf8TextValidator;
import io.switchboard.core.metrics.Outcomes;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.pipeline.HandlerNames;

/**
 * Turns an HTTP connection into a WebSocket: the RFC 6455 handshake (Netty's), then our WebSocket stack in place
 * of the HTTP handlers:
 *
 * <pre>
 *   wsdecoder     frame decoding; frame size limit; protocol violations raised, never answered on their own
 *   ws-inflate    permessage-deflate, only when the dialect allows it and the client offered it: inflates
 *                 compressed messages, capped at the message limit (1009 beyond); what we send stays uncompressed
 *   ws-utf8       UTF-8 validation of text messages, across fragments (1007)
 *   ws-control    ping/pong and the closing handshake (answers invalid close frames with 1002/1007, not 1000)
 *   ws-aggregate  assembles fragmented messages up to the message limit (1009 beyond)
 *   ...           the dialect's session handlers
 *   exceptions    the one exception path: error to close code, counted
 * </pre>
 */
public final class WebSocketUpgrader {
  private final Outcomes outcomes;
  private final long closeTimeoutMillis;

  public WebSocketUpgrader(Outcomes outcomes, long closeTimeoutMillis) {
    this.outcomes = outcomes;
    this.closeTimeoutMillis = closeTimeoutMillis;
  }

  /** Performs the upgrade of {@code ex} with the dialect's {@code spec}; the exchange is answered either way. */
  public void upgrade(HttpExchange ex, WebSocketSessionSpec spec) {
    if (!ex.takeOver()) {
      return;
    }
    Channel ch = ex.ctx().channel();
    WebSocketServerExtension deflate = spec.permessageDeflate() ? PerMessageDeflate.negotiate(ex, spec) : null;
    WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(spec.maxFramePayloadBytes())
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .allowExtensions(deflate != null) // RSV1 marks a compressed message; refused (1002) without the extension
        .closeOnProtocolViolation(false) // our exception path answers, with the right code, and counts it
        .withUTF8Validator(false) // ws-utf8 below
        .build();
    String url = "ws://" + (ex.header(HttpHeaderNames.HOST) == null ? "localhost" : ex.header(HttpHeaderNames.HOST))
        + ex.path();
    String subprotocols = spec.subprotocols().isEmpty() ? null : String.join(",", spec.subprotocols());
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, subprotocols, decoderConfig).newHandshaker(ex.request());
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
      return;
    }

    ChannelPipeline p = ch.pipeline();
    for (String name : new String[] {HandlerNames.HTTP_KEEPALIVE, HandlerNames.REQUEST_DEADLINE,
        HandlerNames.DISPATCH}) {
      if (p.get(name) != null) {
        p.remove(name);
      }
    }
    WebSocketSession[] sessionRef = new WebSocketSession[1];
    ControlFrameHandler control = new ControlFrameHandler(closeTimeoutMillis, code -> {
      outcomes.closed(spec.dialect(), code);
      if (sessionRef[0] != null) {
        sessionRef[0].closedByBroker(code);
      }
    });
    p.replace(HandlerNames.EXCEPTIONS, HandlerNames.EXCEPTIONS,
        new WebSocketExceptionHandler(spec.dialect(), control));
    p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.WS_UTF8, new Utf8TextValidator());
    p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.WS_CONTROL, control);
    p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.WS_AGGREGATE,
        new WebSocketFrameAggregator(spec.maxMessageBytes()));
    WebSocketSession session = new WebSocketSession(spec.dialect(), ch, control);
    sessionRef[0] = session;
    spec.installer().install(p, session);

    HttpHeaders responseHeaders = spec.responseHeaders();
    if (deflate != null) {
      responseHeaders = responseHeaders == null ? new DefaultHttpHeaders() : responseHeaders.copy();
      responseHeaders.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS,
          PerMessageDeflate.headerValue(deflate.newReponseData()));
    }
    ChannelPromise promise = ch.newPromise();
    promise.addListener(f -> {
      if (f.isSuccess()) {
        if (deflate != null) {
          // After the 101 is written, before any frame is read: as Netty's own extension handler does. Inbound
          // only: our frames are framed once into bytes (WebSocketFrames, for fan-out) and go out uncompressed,
          // with RSV1 clear, which RFC 7692 allows per message; so no deflater is held per connection.
          p.addAfter(p.context(WebSocketFrameDecoder.class).name(), HandlerNames.WS_INFLATE,
              deflate.newExtensionDecoder());
        }
        p.fireUserEventTriggered(new WebSocketOpened(handshaker.selectedSubprotocol()));
      } else {
        ch.close();
      }
    });
    handshaker.handshake(ch, ex.request(), responseHeaders, promise);
  }
}
