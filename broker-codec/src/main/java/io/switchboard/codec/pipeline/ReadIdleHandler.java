package io.switchboard.codec.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#FIRST_READER_IDLE_STATE_EVENT} (then {@code READER_IDLE_STATE_EVENT} once per further
 * timeout) when nothing was read for the timeout: Netty's {@code IdleStateHandler} with only a reader timeout, but
 * an inbound handler only. {@code IdleStateHandler} is a duplex handler, so every frame written on the connection
 * passed through its {@code write}; fan-out writes one frame per subscriber per message, and this handler is
 * skipped on the way out without a call.
 *
 * <p>Placed first in the pipeline, any bytes received (pongs included) count as activity. Not sharable.
 */
public final class ReadIdleHandler extends ChannelInboundHandlerAdapter {
  private final long timeoutNanos;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private long lastReadNanos;
  private boolean reading;
  private boolean firstEvent = true;
  private boolean stopped;

  /** @param timeoutMillis > 0 */
  public ReadIdleHandler(long timeoutMillis) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeoutMillis: " + timeoutMillis + " (expected: > 0)");
    }
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
      start();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    reading = true;
    firstEvent = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (reading) {
      reading = false;
      lastReadNanos = ticker();
    }
    ctx.fireChannelReadComplete();
  }

  private void start() {
    if (timer != null || stopped) {
      return;
    }
    lastReadNanos = ticker();
    schedule(timeoutNanos);
  }

  private void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void schedule(long delayNanos) {
    timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    if (stopped || !ctx.channel().isOpen()) {
      return;
    }
    long next = timeoutNanos - (ticker() - lastReadNanos);
    if (reading || next > 0) {
      schedule(reading ? timeoutNanos : next);
      return;
    }
    schedule(timeoutNanos);
    IdleStateEvent event = firstEvent ? IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT
        : IdleStateEvent.READER_IDLE_STATE_EVENT;
    firstEvent = false;
    ctx.fireUserEventTriggered(event);
  }

  private long ticker() {
    return ctx.executor().ticker().nanoTime();
  }
}
