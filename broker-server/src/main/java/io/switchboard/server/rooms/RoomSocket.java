package io.switchboard.server.rooms;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.server.http.Json;
import io.switchboard.server.websocket.WebSocketOpened;
import io.switchboard.server.websocket.WebSocketSession;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One room socket (rooms.md §3.2, §4, §6, §9): joins unauthenticated, must send {@code auth} within the deadline
 * (4002), is closed 4001 by anything else; receives the room's messages with a bounded queue (1008 past it).
 */
final class RoomSocket extends ChannelInboundHandlerAdapter {
  private final RoomsService svc;
  private RoomsService.Room room; // the live instance once joined
  private final Site site;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private WebSocketSession session;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> authDeadline;
  private ScheduledFuture<?> pinger;
  private volatile long userId = -1;
  private boolean closed;

  RoomSocket(RoomsService svc, RoomsService.Room room, Site site) {
    this.svc = svc;
    this.room = room;
    this.site = site;
  }

  void bind(WebSocketSession s) {
    this.session = s;
  }

  /** The authenticated user, or -1. */
  long userId() {
    return userId;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketOpened) {
      room = room.join(this);
      Duration timeout = site.authTimeout() != null ? site.authTimeout() : svc.config.authTimeout();
      if (!timeout.isZero()) {
        authDeadline = ctx.executor().schedule(() -> {
          if (userId < 0) {
            fail("auth_timeout", CloseCodes.AUTH_TIMEOUT, "authentication timeout");
          }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      long ping = svc.config.pingInterval().toMillis();
      pinger = ctx.executor().scheduleAtFixedRate(
          () -> ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise()), ping, ping, TimeUnit.MILLISECONDS);
    } else if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
      session.fail(CloseCodes.IDLE_TIMEOUT, "idle timeout");
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    room.leave(this);
    if (authDeadline != null) {
      authDeadline.cancel(false);
    }
    if (pinger != null) {
      pinger.cancel(false);
    }
    releaseQueue();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame f) {
      try {
        onAuth(f.content());
      } finally {
        f.release();
      }
    } else if (msg instanceof BinaryWebSocketFrame) {
      ReferenceCountUtil.release(msg);
      svc.outcomes.rejected(RoomsService.DIALECT, "binary_frame");
      session.fail(CloseCodes.UNSUPPORTED_DATA, "binary frames are not accepted");
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onAuth(ByteBuf text) {
    String type;
    String token;
    try (com.fasterxml.jackson.core.JsonParser p = Json.FACTORY.createParser(
        (java.io.InputStream) new io.netty.buffer.ByteBufInputStream(text.duplicate()))) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        fail("auth_invalid_frame", CloseCodes.UNAUTHORIZED, "invalid frame");
        return;
      }
      type = null;
      token = null;
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String f = p.currentName();
        com.fasterxml.jackson.core.JsonToken t = p.nextToken();
        if ("type".equals(f) && t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
          type = p.getText();
        } else if ("token".equals(f) && t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
          token = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        fail("auth_invalid_frame", CloseCodes.UNAUTHORIZED, "invalid frame");
        return;
      }
    } catch (java.io.IOException e) {
      fail("auth_invalid_frame", CloseCodes.UNAUTHORIZED, "invalid frame");
      return;
    }
    if (!"auth".equals(type)) {
      fail("auth_expected", CloseCodes.UNAUTHORIZED, "expected auth frame");
      return;
    }
    if (token == null || token.isEmpty()) {
      fail("auth_missing_token", CloseCodes.UNAUTHORIZED, "missing token");
      return;
    }
    try {
      SiteToken.User u = SiteToken.verify(token, site, svc.clock, svc.config.clockSkew());
      userId = u.userId(); // bound; nothing is sent back (§3.2)
      if (authDeadline != null) {
        authDeadline.cancel(false);
      }
    } catch (SiteToken.Refused r) {
      if (r.failure == SiteToken.Failure.EXPIRED) {
        fail("auth_expired", CloseCodes.UNAUTHORIZED, "token expired");
      } else {
        fail("auth_invalid_token", CloseCodes.UNAUTHORIZED, "invalid token");
      }
    }
  }

  private void fail(String reason, int code, String text) {
    svc.outcomes.rejected(RoomsService.DIALECT, reason);
    session.close(code, text);
  }

  /** A room message (a frame duplicate; ownership passes). Any thread. */
  void deliver(ByteBuf frame) {
    if (ctx.executor().inEventLoop()) {
      write(frame);
    } else {
      ctx.executor().execute(() -> write(frame));
    }
  }

  private void write(ByteBuf frame) {
    if (closed || !ctx.channel().isActive()) {
      frame.release();
      return;
    }
    if (queue.isEmpty() && ctx.channel().isWritable()) {
      ctx.writeAndFlush(frame, ctx.voidPromise());
      return;
    }
    queue.addLast(frame);
    if (queue.size() > svc.config.socketQueue()) {
      closed = true;
      releaseQueue();
      svc.outcomes.rejected(RoomsService.DIALECT, "slow_consumer");
      session.fail(CloseCodes.POLICY, "slow consumer");
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    boolean wrote = false;
    while (!queue.isEmpty() && ctx.channel().isWritable()) {
      ctx.write(queue.pollFirst(), ctx.voidPromise());
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    super.channelWritabilityChanged(ctx);
  }

  private void releaseQueue() {
    ByteBuf b;
    while ((b = queue.pollFirst()) != null) {
      b.release();
    }
  }
}
