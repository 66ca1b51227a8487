package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * A receiver of a stream's messages. Every call happens on {@link #eventLoop()}, so a subscriber needs no locks.
 * Socket subscribers use {@link ChannelSubscriber}; in-process ones {@link Streams#subscribe(String, EventLoop,
 * StreamListener)}.
 */
public interface Subscriber {

  /** The loop that runs every callback of this subscriber (a channel's own loop for sockets). */
  EventLoop eventLoop();

  /** How this subscriber wants messages framed. */
  FrameShape shape();

  /** One message, framed as {@link #shape()}; the subscriber owns {@code frame} and must release it. */
  void onFrame(ByteBuf frame, long seq);

  /** The end of a batch of {@link #onFrame} calls: the moment to flush once. */
  void onBatchEnd();
}
