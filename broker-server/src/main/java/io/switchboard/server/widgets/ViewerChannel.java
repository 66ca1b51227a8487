package io.switchboard.server.widgets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.codec.sse.SseFrames;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.codec.websocket.WebSocketFrames;
import io.switchboard.core.stream.ChannelSubscriber;
import io.switchboard.core.stream.FrameShapes;
import io.switchboard.server.websocket.WebSocketOpened;
import io.switchboard.server.websocket.WebSocketSession;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One subscription's channel, SSE or WebSocket (widgets.md §2.1, §2.2, §6, §9): joins the stream when the
 * transport is ready, writes {@code retry} (SSE), {@code init} and the resume replay before any live event, keeps
 * the connection alive (SSE heartbeat comments; WebSocket pings and the read-idle close 4000), refuses data from a
 * WebSocket client (1008 {@code publish over HTTP}) and leaves the stream when the channel closes.
 */
final class ViewerChannel extends ChannelInboundHandlerAdapter {
  private static final byte[] RETRY = "retry: 3000\n\n".getBytes(CharsetUtil.US_ASCII);
  private static final int END_POLLS = 200;

  private final WidgetsService svc;
  private final WidgetStream stream;
  private final Viewer viewer;
  private final Long lastEventId;
  private final String resumeToken;
  private WebSocketSession session;
  private ChannelHandlerContext ctx;
  private TokenGrant grant;
  private ChannelSubscriber subscriber;
  private ScheduledFuture<?> keepalive;
  private boolean joined;
  private boolean gone;

  ViewerChannel(WidgetsService svc, WidgetStream stream, Viewer viewer, Long lastEventId, String resumeToken) {
    this.svc = svc;
    this.stream = stream;
    this.viewer = viewer;
    this.lastEventId = lastEventId;
    this.resumeToken = resumeToken;
  }

  void bind(WebSocketSession s) {
    this.session = s;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (viewer.sse) {
      start(); // the SSE head is already written: the stream starts now
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketOpened) {
      start();
    } else if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE && session != null) {
      svc.outcomes.rejected(WidgetsService.DIALECT, "idle_timeout");
      session.fail(CloseCodes.IDLE_TIMEOUT, "idle timeout");
    }
    super.userEventTriggered(ctx, evt);
  }

  /**
   * Starts the subscription. A resume first loads the stored broadcasts it missed on the blocking pool (a store
   * scan of up to {@code resume.maxEvents} entries stays off the event loop), then joins on the channel's loop.
   */
  private void start() {
    if (lastEventId == null) {
      join(List.of());
      return;
    }
    svc.blocking.execute(() -> {
      List<WidgetStream.Replay> pre;
      try {
        pre = stream.storedRange(lastEventId, Long.MAX_VALUE, svc.config.resumeMaxEvents());
      } catch (RuntimeException e) {
        pre = List.of(); // the join's catch-up scan reads them instead
      }
      List<WidgetStream.Replay> loaded = pre;
      ctx.executor().execute(() -> join(loaded));
    });
  }

  private void join(List<WidgetStream.Replay> preloaded) {
    if (!ctx.channel().isActive() || gone) {
      return;
    }
    if (svc.isEnded(stream.id)) { // ended between the checks and now
      endNow();
      return;
    }
    grant = svc.grant(stream.id, resumeToken);
    viewer.userId = grant.userId;
    viewer.token = grant.token;
    boolean continuity = resumeToken != null && resumeToken.equals(grant.token);
    subscriber = stream.subscriber(viewer.sse ? FrameShapes.SSE : FrameShapes.WS_TEXT, c -> slowConsumer());
    if (session != null) {
      session.framesFromControl(subscriber);
    }
    viewer.ender = seq -> ctx.executor().execute(() -> endAfter(seq, 0));
    WidgetStream.Joined j = stream.join(viewer, ctx.pipeline(), subscriber);
    joined = true;
    if (viewer.sse) {
      ctx.write(Unpooled.wrappedBuffer(RETRY), ctx.voidPromise());
    }
    write(j.initSeq(), Envelopes.init(stream.id, viewer.userId, viewer.token, j.viewers()));
    if (lastEventId != null) {
      List<WidgetStream.Replay> missed =
          stream.replay(lastEventId, j.initSeq(), preloaded, continuity ? viewer.userId : null);
      for (WidgetStream.Replay r : missed) {
        write(r.seq(), r.json());
      }
    }
    ctx.flush();
    long every = (viewer.sse ? svc.config.heartbeat() : svc.config.pingInterval()).toMillis();
    keepalive = ctx.executor().scheduleAtFixedRate(this::keepalive, every, every, TimeUnit.MILLISECONDS);
  }

  private void write(long seq, byte[] json) {
    ByteBuf payload = Unpooled.wrappedBuffer(json);
    ByteBuf frame = viewer.sse ? SseFrames.event(ctx.alloc(), seq, null, payload)
        : WebSocketFrames.text(ctx.alloc(), payload);
    payload.release();
    ctx.write(frame, ctx.voidPromise());
  }

  private void keepalive() {
    if (viewer.sse) {
      // A failed write reveals a dead subscriber: its channel closes, and the stream hears its leave.
      ctx.writeAndFlush(SseFrames.comment(ctx.alloc(), "heartbeat"))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    } else {
      ctx.writeAndFlush(new PingWebSocketFrame()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  private void slowConsumer() {
    svc.slowConsumers.increment();
    if (session != null) {
      session.fail(CloseCodes.POLICY, "slow consumer");
    } else {
      ctx.close();
    }
  }

  /** Ends the subscription once the {@code end} event ({@code seq}) was handed to the channel (§5.2). */
  private void endAfter(long seq, int polls) {
    if (subscriber == null || subscriber.isClosed() || subscriber.lastSeq() >= seq || polls >= END_POLLS
        || !ctx.channel().isActive()) {
      endNow();
      return;
    }
    ctx.executor().schedule(() -> endAfter(seq, polls + 1), 10, TimeUnit.MILLISECONDS);
  }

  private void endNow() {
    ctx.flush();
    if (session != null) {
      session.close(CloseCodes.NORMAL, "stream ended");
    } else {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    boolean data = msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame;
    ReferenceCountUtil.release(msg);
    if (data && session != null) {
      svc.outcomes.rejected(WidgetsService.DIALECT, "publish_over_websocket");
      session.fail(CloseCodes.POLICY, "publish over HTTP");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!gone) {
      gone = true;
      if (keepalive != null) {
        keepalive.cancel(false);
      }
      if (joined) {
        stream.leave(viewer, svc.isEnded(stream.id));
        svc.closed(grant);
      }
    }
    super.channelInactive(ctx);
  }
}
