package io.switchboard.bench.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The devices baseline's shared state: which channel holds each device, the event-feed subscribers, and the Caller
 * API requests waiting for their device's response (by replyToken, each with its deadline task).
 */
final class DevicesRegistry {
  final ConcurrentHashMap<String, Channel> devices = new ConcurrentHashMap<>();
  final CopyOnWriteArrayList<Channel> feed = new CopyOnWriteArrayList<>();
  final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

  /** A caller waiting on its HTTP connection; {@code deadline} answers 504 if the device stays silent. */
  record Pending(Channel caller, boolean keepAlive, ScheduledFuture<?> deadline) {}

  /** Sends {@code frame} (consumed) to every feed subscriber as a retained duplicate, flushed at once. */
  void toFeed(ByteBuf frame) {
    try {
      for (Channel ch : feed) {
        if (ch.isWritable()) {
          ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
        }
      }
    } finally {
      frame.release();
    }
  }
}
