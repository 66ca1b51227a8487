package io.switchboard.server.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection in HTTP mode: closes the connection on any error that reaches it and releases
 * stray messages. (Malformed requests never get here: the dispatcher answers them from the decoder result.)
 */
@Sharable
public final class HttpExceptionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpExceptionHandler.class);

  public static final HttpExceptionHandler INSTANCE = new HttpExceptionHandler();

  private HttpExceptionHandler() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException || cause.getCause() instanceof NotSslRecordException) {
      log.debug("connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
