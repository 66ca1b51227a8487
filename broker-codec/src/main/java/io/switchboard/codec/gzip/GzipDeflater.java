package io.switchboard.codec.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one outbound bots frame into a single gzip member (RFC 1952): a 10-byte header, the raw deflate body
 * and the CRC32/ISIZE trailer, in one pooled buffer sized up front from zlib's worst-case bound, so it does not grow.
 *
 * <p>zlib reads the JSON through NIO views of its own memory and writes into the output's memory; nothing is copied
 * on the Java heap. One instance per connection or per event loop (e.g. in a {@code FastThreadLocal}); not
 * thread-safe. It reuses one zlib stream, which {@link #close()} frees.
 */
public final class GzipDeflater implements AutoCloseable {
  /** {@code bots.gzipLevel}'s default: most of level 6's ratio on small JSON at a fraction of its cost. */
  public static final int DEFAULT_LEVEL = 3;

  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final ByteBufAllocator alloc;
  private boolean closed;

  /** @param level 0 (store) to 9 (best), as {@link Deflater} */
  public GzipDeflater(int level, ByteBufAllocator alloc) {
    if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("gzip level must be 0..9: " + level);
    }
    this.deflater = new Deflater(level, true);
    this.alloc = Objects.requireNonNull(alloc, "alloc");
  }

  /**
   * Compresses the readable bytes of {@code json} (not consumed, not released) into a new buffer from the
   * allocator's I/O preference (direct when possible: it is going to a socket). The caller owns the result.
   */
  public ByteBuf deflate(ByteBuf json) {
    if (closed) {
      throw new IllegalStateException("deflater closed");
    }
    int from = json.readerIndex();
    int length = json.readableBytes();
    ByteBuf out = alloc.ioBuffer(GzipFormat.FIXED_HEADER + bound(length) + GzipFormat.TRAILER);
    boolean done = false;
    try {
      GzipFormat.writeHeader(out);
      deflater.reset();
      crc.reset();
      int components = json.nioBufferCount();
      if (components == 1) {
        feed(json.internalNioBuffer(from, length), out, true);
      } else {
        ByteBuffer[] parts = components < 0 ? new ByteBuffer[] {json.nioBuffer(from, length)}
            : json.nioBuffers(from, length);
        for (int p = 0; p < parts.length; p++) {
          feed(parts[p], out, p == parts.length - 1);
        }
      }
      GzipFormat.writeTrailer(out, crc.getValue(), length);
      done = true;
      return out;
    } finally {
      if (!done) {
        out.release();
      }
    }
  }

  private void feed(ByteBuffer in, ByteBuf out, boolean last) {
    int position = in.position();
    crc.update(in);
    in.position(position);
    deflater.setInput(in);
    if (last) {
      deflater.finish();
    }
    while (last ? !deflater.finished() : !deflater.needsInput()) {
      if (!out.isWritable()) {
        out.ensureWritable(64 + GzipFormat.TRAILER);
      }
      int w = out.writerIndex();
      int n = deflater.deflate(out.internalNioBuffer(w, out.writableBytes()));
      out.writerIndex(w + n);
    }
    if (out.writableBytes() < GzipFormat.TRAILER) {
      out.ensureWritable(GzipFormat.TRAILER);
    }
  }

  /** zlib's {@code deflateBound} for a raw stream: stored blocks are the worst case, 5 bytes per 16 KiB plus slack. */
  static int bound(int length) {
    return length + (length >> 12) + (length >> 14) + (length >> 25) + 7;
  }

  /** Frees the zlib stream. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      deflater.end();
    }
  }
}
