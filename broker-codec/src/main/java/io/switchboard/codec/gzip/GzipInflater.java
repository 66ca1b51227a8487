package io.switchboard.codec.gzip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one bots frame: exactly one gzip member (RFC 1952) holding the JSON, into a pooled buffer.
 *
 * <p><b>Bounded.</b> The output buffer is allocated with {@link GzipLimits#maxInflatedBytes()} as its maximum
 * capacity and grows by Netty's doubling steps up to it, never past it; zlib writes straight into its writable
 * region. When the buffer is full at the cap and the stream has not ended, one more byte is asked for: if zlib has
 * one, the frame is {@link InflateStatus#INFLATED_TOO_LARGE} and inflating stops there; if the stream simply ends, a
 * frame of exactly the cap is accepted. Each growth is preceded by the {@link GzipLimits#maxRatio() ratio check},
 * which stops bombs before the buffer grows.
 *
 * <p><b>No copies.</b> zlib reads the frame through NIO views of its own memory ({@code Inflater.setInput(ByteBuffer)},
 * heap or direct, each component of a composite in turn) and writes into the output's memory. The output is a heap
 * buffer: the JSON scanner reads its backing array in place, and the output never goes to a socket.
 *
 * <p><b>Checked.</b> Header fields (FEXTRA, FNAME, FCOMMENT, FHCRC with its CRC16), a deflate body that ends, the
 * trailer's CRC32 and ISIZE, and nothing after the trailer: a second member or trailing bytes are
 * {@link InflateStatus#NOT_GZIP}, as the contract wants a single member.
 *
 * <p>One instance per connection, used on its event loop only (not thread-safe): it reuses one zlib stream, which
 * {@link #close()} frees; call it when the connection closes.
 */
public final class GzipInflater implements AutoCloseable {
  /** Smallest first output buffer: a typical bot frame (~400 bytes of JSON) fits without growing. */
  private static final int MIN_INITIAL = 512;
  /** First guess of the expansion, so that ordinary JSON (3–10:1) needs one or two growths at most. */
  private static final int INITIAL_EXPANSION = 8;
  /** Largest first output buffer: a bomb is judged by the ratio check before the buffer grows past this. */
  private static final int MAX_INITIAL = 64 * 1024;

  private final int cap;
  private final long maxRatio;
  private final ByteBufAllocator alloc;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final ByteBuffer probe = ByteBuffer.allocate(1);
  private long lastInflatedBytes;
  private boolean closed;

  public GzipInflater(GzipLimits limits, ByteBufAllocator alloc) {
    this.cap = limits.maxInflatedBytes();
    this.maxRatio = limits.maxRatio();
    this.alloc = Objects.requireNonNull(alloc, "alloc");
  }

  /**
   * Inflates the readable bytes of {@code frame}, which is neither consumed nor released (the caller still owns
   * it). On {@link InflateStatus#OK} the result's content is a new buffer the caller must release; on failure no
   * buffer is left behind.
   */
  public Inflated inflate(ByteBuf frame) {
    if (closed) {
      throw new IllegalStateException("inflater closed");
    }
    lastInflatedBytes = 0;
    int from = frame.readerIndex();
    int to = frame.writerIndex();
    int body = GzipFormat.bodyStart(frame, from, to, crc);
    if (body < 0) {
      return Inflated.NOT_GZIP;
    }
    inflater.reset();
    int compressed = to - from;
    long guess = Math.min(MAX_INITIAL, (long) compressed * INITIAL_EXPANSION);
    int initial = (int) Math.min(cap, Math.max(MIN_INITIAL, guess));
    ByteBuf out = alloc.heapBuffer(initial, cap);
    boolean handedOver = false;
    try {
      InflateStatus status = inflateBody(frame, body, to, out);
      lastInflatedBytes = out.writerIndex();
      if (status != InflateStatus.OK) {
        return status == InflateStatus.NOT_GZIP ? Inflated.NOT_GZIP : Inflated.TOO_LARGE;
      }
      if (!trailerMatches(frame, body + (int) inflater.getBytesRead(), to, out)) {
        return Inflated.NOT_GZIP;
      }
      handedOver = true;
      return Inflated.ok(out);
    } finally {
      if (!handedOver) {
        out.release();
      }
    }
  }

  /** Bytes written by the last {@link #inflate} before it returned or stopped (for logs and tests). */
  public long lastInflatedBytes() {
    return lastInflatedBytes;
  }

  private InflateStatus inflateBody(ByteBuf frame, int body, int to, ByteBuf out) {
    int components = frame.nioBufferCount();
    if (components == 1) {
      inflater.setInput(frame.internalNioBuffer(body, to - body));
      return drain(out, true);
    }
    ByteBuffer[] parts = components < 0 ? new ByteBuffer[] {frame.nioBuffer(body, to - body)}
        : frame.nioBuffers(body, to - body);
    for (int p = 0; p < parts.length; p++) {
      inflater.setInput(parts[p]);
      InflateStatus status = drain(out, p == parts.length - 1);
      if (status != InflateStatus.OK || inflater.finished()) {
        return status;
      }
    }
    return InflateStatus.NOT_GZIP;
  }

  /**
   * Inflates the current input into {@code out} until the stream ends or the input is used up.
   *
   * @param last whether this is the frame's last input: running out of it then means a truncated body
   */
  private InflateStatus drain(ByteBuf out, boolean last) {
    try {
      while (true) {
        int n;
        if (out.isWritable()) {
          int w = out.writerIndex();
          n = inflater.inflate(out.internalNioBuffer(w, out.writableBytes()));
          out.writerIndex(w + n);
        } else if (out.writerIndex() >= cap) {
          probe.clear();
          if (inflater.inflate(probe) > 0) {
            return InflateStatus.INFLATED_TOO_LARGE;
          }
          n = 0;
        } else if (maxRatio > 0 && out.writerIndex() > maxRatio * inflater.getBytesRead()) {
          return InflateStatus.INFLATED_TOO_LARGE;
        } else {
          out.ensureWritable(1);
          continue;
        }
        if (inflater.finished()) {
          return InflateStatus.OK;
        }
        if (n == 0) {
          if (inflater.needsInput()) {
            return last ? InflateStatus.NOT_GZIP : InflateStatus.OK;
          }
          if (inflater.needsDictionary() || !out.isWritable()) {
            // at the cap with zlib neither producing nor asking for input: nothing sane is left to wait for
            return inflater.needsDictionary() ? InflateStatus.NOT_GZIP : InflateStatus.INFLATED_TOO_LARGE;
          }
        }
      }
    } catch (DataFormatException e) {
      return InflateStatus.NOT_GZIP;
    }
  }

  private boolean trailerMatches(ByteBuf frame, int trailer, int to, ByteBuf out) {
    if (to - trailer != GzipFormat.TRAILER) {
      return false;
    }
    crc.reset();
    crc.update(out.internalNioBuffer(out.readerIndex(), out.readableBytes()));
    return frame.getIntLE(trailer) == (int) crc.getValue() && frame.getIntLE(trailer + 4) == out.readableBytes();
  }

  /** Frees the zlib stream. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      inflater.end();
    }
  }
}
