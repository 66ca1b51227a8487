package io.switchboard.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.switchboard.core.config.ServerConfig;
import io.switchboard.core.config.ServerLimits;
import io.switchboard.server.http.HttpDispatcher;
import io.switchboard.server.http.Router;

/**
 * The pipeline of a new connection on one listener, in HTTP mode. A WebSocket upgrade or an event stream later
 * replaces the HTTP handlers (see {@link io.switchboard.server.websocket.WebSocketUpgrader}).
 */
public final class ListenerInitializer extends ChannelInitializer<Channel> {
  private final ServerConfig server;
  private final ConnectionLimiter limiter;
  private final SslContext ssl;
  private final Router router;
  private final ChannelGroup channels;

  public ListenerInitializer(ServerConfig server, ConnectionLimiter limiter, SslContext ssl, Router router,
      ChannelGroup channels) {
    this.server = server;
    this.limiter = limiter;
    this.ssl = ssl;
    this.router = router;
    this.channels = channels;
  }

  @Override
  protected void initChannel(Channel ch) {
    ServerLimits limits = server.limits();
    ch.config().setWriteBufferWaterMark(
        new WriteBufferWaterMark(server.writeBufferLowWaterMark(), server.writeBufferHighWaterMark()));
    channels.add(ch); // for the drain at shutdown; removed automatically on close
    ChannelPipeline p = ch.pipeline();
    p.addLast(HandlerNames.CONNECTION_LIMIT, limiter); // first: refuses before any byte is read
    if (ssl != null) {
      p.addLast(HandlerNames.TLS, ssl.newHandler(ch.alloc()));
    }
    p.addLast(HandlerNames.REQUEST_DEADLINE, new RequestDeadlineHandler(server.handshakeTimeout().toMillis()));
    p.addLast(HandlerNames.HTTP, new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.maxInitialLineBytes())
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxChunkSize(8192)));
    p.addLast(HandlerNames.HTTP_KEEPALIVE, new HttpServerKeepAliveHandler());
    p.addLast(HandlerNames.HTTP_AGGREGATE, new JsonHttpObjectAggregator(limits.maxHttpBodyBytes()));
    p.addLast(HandlerNames.DISPATCH, new HttpDispatcher(router));
    p.addLast(HandlerNames.EXCEPTIONS, HttpExceptionHandler.INSTANCE); // last: the one exception path
  }
}
