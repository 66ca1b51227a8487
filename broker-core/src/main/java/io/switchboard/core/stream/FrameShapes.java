package io.switchboard.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.sse.SseFrames;
import io.switchboard.codec.websocket.WebSocketFrames;

/** The shapes shared by the dialects: a WebSocket text frame, and an SSE event carrying the sequence as its id. */
public final class FrameShapes {
  private FrameShapes() {}

  /** The payload as one final WebSocket text frame. */
  public static final FrameShape WS_TEXT = new FrameShape("ws-text") {
    @Override
    public ByteBuf encode(ByteBufAllocator alloc, ByteBuf payload, long seq) {
      return WebSocketFrames.text(alloc, payload);
    }
  };

  /** The payload as an SSE event of the default type, {@code id:} the stream sequence number. */
  public static final FrameShape SSE = new FrameShape("sse") {
    @Override
    public ByteBuf encode(ByteBufAllocator alloc, ByteBuf payload, long seq) {
      return SseFrames.event(alloc, seq, null, payload);
    }
  };
}
