package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One published message, shared by every event loop its stream has subscribers on. Reference counted: the stream
 * holds one reference per event-loop group it is queued for; when the last is released, the payload is released.
 * Each loop frames it itself ({@link LoopGroup}), once per {@link FrameShape}.
 */
final class StreamMessage extends AbstractReferenceCounted {
  private final ByteBuf payload;
  private final long seq;
  private final Subscriber only;
  private final Subscriber except;

  StreamMessage(ByteBuf payload, long seq) {
    this(payload, seq, null, null);
  }

  StreamMessage(ByteBuf payload, long seq, Subscriber only, Subscriber except) {
    this.payload = payload;
    this.seq = seq;
    this.only = only;
    this.except = except;
  }

  /** Whether {@code s} receives this message (every subscriber, unless it is addressed or excludes one). */
  boolean isFor(Subscriber s) {
    return (only == null || only == s) && s != except;
  }

  /** Whether this message is addressed to a single subscriber. */
  boolean isAddressed() {
    return only != null || except != null;
  }

  long seq() {
    return seq;
  }

  ByteBuf payload() {
    return payload;
  }

  @Override
  protected void deallocate() {
    payload.release();
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    payload.touch(hint);
    return this;
  }
}
