package io.switchboard.server.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.codec.websocket.ControlFrameHandler;
import io.switchboard.codec.websocket.WebSocketCloseException;
import java.io.IOException;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every WebSocket pipeline and its one exception path: maps decoder and dialect errors to a
 * close code, fails the connection through the {@link ControlFrameHandler} (which counts the close), and logs
 * once. Messages that reach it unhandled are released.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><td>{@link CorruptedWebSocketFrameException}</td><td>its status: 1002 protocol error, 1007 invalid UTF-8,
 *   1009 frame too big; an invalid close-frame body is a protocol error (1002)</td></tr>
 *   <tr><td>{@link TooLongFrameException} (message aggregation)</td><td>1009</td></tr>
 *   <tr><td>{@link DecompressionException} (permessage-deflate)</td><td>1009 past the inflate limit, else 1007
 *   </td></tr>
 *   <tr><td>{@link WebSocketCloseException}</td><td>its code and reason</td></tr>
 *   <tr><td>I/O errors</td><td>none: the peer is gone</td></tr>
 *   <tr><td>anything else</td><td>1011, logged with its stack</td></tr>
 * </table>
 */
public final class WebSocketExceptionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketExceptionHandler.class);
  /** How Netty's zlib decoder reports output past its {@code maxAllocation}. */
  private static final String INFLATE_LIMIT_MESSAGE = "Decompression buffer has reached maximum size";

  private final String dialect;
  private final ControlFrameHandler control;

  public WebSocketExceptionHandler(String dialect, ControlFrameHandler control) {
    this.dialect = dialect;
    this.control = control;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException || cause instanceof SocketException) {
      ctx.close();
      return;
    }
    int code;
    String reason;
    if (cause instanceof WebSocketCloseException wce) {
      code = wce.code();
      reason = wce.reason();
    } else if (cause instanceof CorruptedWebSocketFrameException cwfe) {
      code = cwfe.closeStatus().code();
      reason = cwfe.getMessage() != null ? cwfe.getMessage() : cwfe.closeStatus().reasonText();
      if ("Invalid close frame body".equals(cwfe.getMessage())) {
        code = CloseCodes.PROTOCOL_ERROR; // a 1-byte close body is malformed framing, not bad payload data
      }
      if (code == CloseCodes.TOO_BIG) {
        reason = "message too big";
      } else if (code == CloseCodes.INVALID_PAYLOAD) {
        reason = "invalid UTF-8";
      }
    } else if (cause instanceof TooLongFrameException) {
      code = CloseCodes.TOO_BIG;
      reason = "message too big";
    } else if (cause instanceof DecompressionException de) {
      // permessage-deflate: the inflater is capped at the message limit; anything else is corrupt deflate data.
      boolean tooBig = de.getMessage() != null && de.getMessage().startsWith(INFLATE_LIMIT_MESSAGE);
      code = tooBig ? CloseCodes.TOO_BIG : CloseCodes.INVALID_PAYLOAD;
      reason = tooBig ? "message too big" : "invalid compressed data";
    } else {
      log.warn("{} socket {} failed", dialect, ctx.channel().remoteAddress(), cause);
      code = CloseCodes.INTERNAL_ERROR;
      reason = "internal error";
    }
    log.debug("{} socket {} closing with {}: {}", dialect, ctx.channel().remoteAddress(), code, reason);
    control.fail(code, reason);
  }
}
