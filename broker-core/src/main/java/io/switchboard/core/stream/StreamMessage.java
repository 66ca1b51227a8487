package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One published message and its encodings, shared by every subscriber of its stream. Reference counted: the
 * stream holds one reference per event-loop group it is queued for; when the last is released, the payload and
 * every cached encoding are released.
 *
 * <p>Encodings are created lazily, at most once per {@link FrameShape} (lock-free: a losing racer releases its
 * copy), so a message published to 10,000 WebSocket subscribers is framed once.
 */
final class StreamMessage extends AbstractReferenceCounted {
  private final ByteBuf payload;
  private final long seq;
  private final AtomicReferenceArray<ByteBuf> frames = new AtomicReferenceArray<>(FrameShape.MAX_SHAPES);

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

  /** The message framed as {@code shape}; the caller must not release it (take a retained duplicate). */
  ByteBuf frame(FrameShape shape, ByteBufAllocator alloc) {
    int i = shape.id();
    ByteBuf f = frames.get(i);
    if (f != null) {
      return f;
    }
    ByteBuf encoded = shape.encode(alloc, payload, seq);
    if (frames.compareAndSet(i, null, encoded)) {
      return encoded;
    }
    encoded.release();
    return frames.get(i);
  }

  @Override
  protected void deallocate() {
    payload.release();
    for (int i = 0; i < frames.length(); i++) {
      ByteBuf f = frames.getAndSet(i, null);
      if (f != null) {
        f.release();
      }
    }
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    payload.touch(hint);
    return this;
  }
}
