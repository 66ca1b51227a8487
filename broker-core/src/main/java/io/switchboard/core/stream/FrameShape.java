package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a stream message is framed for one kind of subscriber (a WebSocket text frame, an SSE event, the raw
 * payload). A message is encoded at most once per shape, whatever the number of subscribers of that shape; each
 * subscriber then gets a {@code retainedDuplicate()} of the encoded bytes.
 */
public abstract class FrameShape {
  /** Upper bound on distinct shapes in one process; a shape's id indexes a message's small encoding cache. */
  public static final int MAX_SHAPES = 16;

  private static final AtomicInteger NEXT_ID = new AtomicInteger();

  private final int id;
  private final String name;

  protected FrameShape(String name) {
    this.name = name;
    this.id = NEXT_ID.getAndIncrement();
    if (id >= MAX_SHAPES) {
      throw new IllegalStateException("too many frame shapes (max " + MAX_SHAPES + "): create shapes once, as constants");
    }
  }

  /**
   * Encodes {@code payload} (not consumed: read it with absolute indexes or a duplicate) as this shape's frame.
   *
   * @param seq the message's sequence number in its stream, for shapes that carry it (SSE {@code id:})
   */
  public abstract ByteBuf encode(ByteBufAllocator alloc, ByteBuf payload, long seq);

  final int id() {
    return id;
  }

  @Override
  public String toString() {
    return name;
  }

  /** The payload as published, unframed: what in-process subscribers receive. */
  public static final FrameShape RAW = new FrameShape("raw") {
    @Override
    public ByteBuf encode(ByteBufAllocator alloc, ByteBuf payload, long seq) {
      return payload.retainedDuplicate();
    }
  };
}
