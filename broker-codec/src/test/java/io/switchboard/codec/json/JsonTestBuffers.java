package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** The buffer shapes a frame can arrive in; each test scans the same bytes through every one of them. */
enum JsonTestBuffers {
  UNPOOLED_HEAP(bytes -> Unpooled.wrappedBuffer(bytes)),
  POOLED_HEAP(bytes -> PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes)),
  POOLED_DIRECT(bytes -> PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes)),
  /** Non-zero readerIndex, bytes after writerIndex, and a slice with a non-zero arrayOffset. */
  HEAP_SLICE_OFFSET(bytes -> padded(PooledByteBufAllocator.DEFAULT.heapBuffer(), bytes)),
  DIRECT_SLICE_OFFSET(bytes -> padded(PooledByteBufAllocator.DEFAULT.directBuffer(), bytes)),
  /** Three components cut at arbitrary points (inside tokens), as an aggregated WebSocket message may be. */
  HEAP_COMPOSITE(bytes -> composite(bytes, false)),
  DIRECT_COMPOSITE(bytes -> composite(bytes, true));

  private final Function<byte[], ByteBuf> make;

  JsonTestBuffers(Function<byte[], ByteBuf> make) {
    this.make = make;
  }

  /** A buffer whose readable bytes are {@code text} in UTF-8; the caller releases it. */
  ByteBuf of(String text) {
    return make.apply(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A buffer whose readable bytes are {@code bytes} (any bytes, valid UTF-8 or not); the caller releases it. */
  ByteBuf of(byte[] bytes) {
    return make.apply(bytes);
  }

  private static ByteBuf padded(ByteBuf outer, byte[] bytes) {
    outer.writeBytes("garbage{\"payload\":{".getBytes(StandardCharsets.US_ASCII));
    int at = outer.writerIndex();
    outer.writeBytes(bytes);
    outer.writeBytes("}]\"x".getBytes(StandardCharsets.US_ASCII));
    // Slice from the middle of the garbage, then move readerIndex past the rest of it.
    ByteBuf slice = outer.retainedSlice(3, at + bytes.length - 3);
    outer.release();
    slice.readerIndex(at - 3);
    return slice;
  }

  private static ByteBuf composite(byte[] bytes, boolean direct) {
    CompositeByteBuf c = direct ? PooledByteBufAllocator.DEFAULT.compositeDirectBuffer()
        : PooledByteBufAllocator.DEFAULT.compositeHeapBuffer();
    int a = bytes.length / 3;
    int b = 2 * bytes.length / 3 + 1;
    int[] cuts = {0, a, Math.max(a, Math.min(b, bytes.length)), bytes.length};
    for (int i = 0; i < 3; i++) {
      int len = cuts[i + 1] - cuts[i];
      ByteBuf part = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(len, 1))
          : PooledByteBufAllocator.DEFAULT.heapBuffer(Math.max(len, 1));
      part.writeBytes(bytes, cuts[i], len);
      c.addComponent(true, part);
    }
    return c;
  }
}
