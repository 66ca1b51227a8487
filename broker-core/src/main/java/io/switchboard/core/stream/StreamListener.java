package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;

/**
 * An in-process subscriber's callback. Runs on the event loop chosen at subscription; must not block. The
 * payload is valid only during the call: copy it (or {@code retain()} and later release) to keep it.
 */
@FunctionalInterface
public interface StreamListener {
  void onMessage(String stream, long seq, ByteBuf payload);
}
