package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts an in-process {@link StreamListener} to {@link Subscriber}: raw payloads, released after the call. */
final class ListenerSubscriber implements Subscriber {
  private static final Logger log = LoggerFactory.getLogger(ListenerSubscriber.class);

  private final String stream;
  private final EventLoop loop;
  private final StreamListener listener;

  ListenerSubscriber(String stream, EventLoop loop, StreamListener listener) {
    this.stream = stream;
    this.loop = loop;
    this.listener = listener;
  }

  @Override
  public EventLoop eventLoop() {
    return loop;
  }

  @Override
  public FrameShape shape() {
    return FrameShape.RAW;
  }

  @Override
  public void onFrame(ByteBuf frame, long seq) {
    try {
      listener.onMessage(stream, seq, frame);
    } catch (RuntimeException e) {
      log.warn("stream listener on {} failed", stream, e);
    } finally {
      frame.release();
    }
  }

  @Override
  public void onBatchEnd() {}
}
