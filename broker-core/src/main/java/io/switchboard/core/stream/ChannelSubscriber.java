package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A socket subscriber: a handler placed at the tail of the channel's pipeline that writes a stream's frames to the
 * channel, flushing once per batch, and respects writability.
 *
 * <p>While the channel is writable frames go straight out; while it is not, they wait in a queue bounded by the
 * stream class's {@code queueLimit}, drained on {@code channelWritabilityChanged}. Past the bound the class's
 * {@link SlowConsumerPolicy} applies: drop the oldest queued frame, or call the dialect's disconnect action
 * (which sends its own close: WebSocket 1008, or the end of an SSE stream). Not sharable: one per channel and
 * stream.
 */
public final class ChannelSubscriber extends ChannelInboundHandlerAdapter implements Subscriber {
  private final Stream stream;
  private final FrameShape shape;
  private final Consumer<ChannelHandlerContext> onSlowConsumer;
  private final int queueLimit;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  /** Where frames are written from: this handler's context, or the one {@link #writeFrom} names. */
  private ChannelHandlerContext out;
  private String writeFromName;
  private BooleanSupplier open = () -> true;
  private Subscription subscription;
  private boolean needsFlush;
  private boolean closed;
  private long skipThrough = Long.MIN_VALUE;
  private long lastSeq = Long.MIN_VALUE;

  /**
   * @param stream the stream to subscribe to when this handler is added to a pipeline
   * @param shape how frames are encoded for this channel
   * @param onSlowConsumer called once, on the channel's loop, when the {@code DISCONNECT} policy fires
   */
  public ChannelSubscriber(Stream stream, FrameShape shape, Consumer<ChannelHandlerContext> onSlowConsumer) {
    this.stream = stream;
    this.shape = shape;
    this.onSlowConsumer = onSlowConsumer;
    this.queueLimit = stream.streamClass().queueLimit();
  }

  /**
   * Writes frames from the handler named {@code handlerName} instead of from this one, so they skip every handler in
   * between, which must do nothing to a pre-encoded frame; while {@code open} is false, frames are dropped instead.
   * A WebSocket session writes from its control handler, whose only outbound job (no data frame after our close
   * frame) {@code open} takes over: one handler call less per subscriber per message. Call before adding the handler.
   */
  public ChannelSubscriber writeFrom(String handlerName, BooleanSupplier open) {
    this.writeFromName = handlerName;
    this.open = open;
    return this;
  }

  /** Skips messages with a sequence number at or below {@code seq} (already sent from a backlog). */
  public void skipThrough(long seq) {
    skipThrough = Math.max(skipThrough, seq);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ChannelHandlerContext from = writeFromName == null ? null : ctx.pipeline().context(writeFromName);
    this.out = from != null ? from : ctx;
    subscription = stream.subscribe(this);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    close();
    super.channelInactive(ctx);
  }

  @Override
  public EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  @Override
  public FrameShape shape() {
    return shape;
  }

  /** The sequence number of the last message handed to this subscriber (written or queued); on its loop. */
  public long lastSeq() {
    return lastSeq;
  }

  /** Whether this subscriber stopped (closed, or disconnected as a slow consumer). */
  public boolean isClosed() {
    return closed;
  }

  /** Frames waiting because the channel was not writable. */
  public int queued() {
    return queue.size();
  }

  @Override
  public void onFrame(ByteBuf frame, long seq) {
    if (closed || seq <= skipThrough) {
      frame.release();
      return;
    }
    lastSeq = seq;
    if (!open.getAsBoolean()) {
      frame.release();
      return;
    }
    if (queue.isEmpty() && ctx.channel().isWritable()) {
      out.write(frame, out.voidPromise());
      needsFlush = true;
      return;
    }
    queue.addLast(frame);
    if (queue.size() > queueLimit) {
      if (stream.streamClass().policy() == SlowConsumerPolicy.DROP_OLDEST) {
        queue.pollFirst().release();
        stream.metrics().dropped.increment();
      } else {
        stream.metrics().slowDisconnects.increment();
        close();
        onSlowConsumer.accept(ctx);
      }
    }
  }

  @Override
  public void onBatchEnd() {
    if (needsFlush) {
      needsFlush = false;
      out.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (!closed && !queue.isEmpty()) {
      boolean wrote = false;
      while (!queue.isEmpty() && ctx.channel().isWritable() && open.getAsBoolean()) {
        out.write(queue.pollFirst(), out.voidPromise());
        wrote = true;
      }
      if (wrote) {
        out.flush();
      }
    }
    super.channelWritabilityChanged(ctx);
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (subscription != null) {
      subscription.cancel();
    }
    ByteBuf b;
    while ((b = queue.pollFirst()) != null) {
      b.release();
    }
  }
}
