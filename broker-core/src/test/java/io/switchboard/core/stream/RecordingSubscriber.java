package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber on a given loop that counts what it receives: it keeps the frames (the test releases them), or
 * releases each at once when told to; {@code onBatchEnd} runs after each counted batch end.
 */
final class RecordingSubscriber implements Subscriber {
  final EventLoop loop;
  final List<ByteBuf> frames = new ArrayList<>();
  final AtomicInteger received = new AtomicInteger();
  final AtomicInteger batchEnds = new AtomicInteger();
  private final boolean keep;
  private final Runnable onBatchEnd;

  /** Keeps every frame. */
  RecordingSubscriber(EventLoop loop) {
    this(loop, true, () -> { });
  }

  RecordingSubscriber(EventLoop loop, boolean keep, Runnable onBatchEnd) {
    this.loop = loop;
    this.keep = keep;
    this.onBatchEnd = onBatchEnd;
  }

  @Override
  public EventLoop eventLoop() {
    return loop;
  }

  @Override
  public FrameShape shape() {
    return FrameShapes.WS_TEXT;
  }

  @Override
  public void onFrame(ByteBuf frame, long seq) {
    if (keep) {
      frames.add(frame);
    } else {
      frame.release();
    }
    received.incrementAndGet();
  }

  @Override
  public void onBatchEnd() {
    batchEnds.incrementAndGet();
    onBatchEnd.run();
  }
}
