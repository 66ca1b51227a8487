package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;

/**
 * Scans one JSON frame straight from a {@link ByteBuf}, in one strict (RFC 8259) pass over its bytes: the frame is
 * never turned into a String, copied or re-serialised, so the byte spans it reports are exactly what the sender
 * signed. A heap buffer is read through its backing array and a direct one at its memory address, both in place; a
 * buffer with neither (a composite of several components, say) is copied once into a pooled heap buffer first.
 * Thread-safe and meant to be shared: it only holds its limits; the per-scan state lives in the {@link ScanResult}.
 *
 * <p>What is accepted and refused, and with which reason, is what the Jackson-based scanner this replaced did (see
 * {@code ByteScan}); the tests pin each rule.
 */
public final class JsonScanner {
  private final JsonLimits limits;

  public JsonScanner(JsonLimits limits) {
    this.limits = limits;
  }

  public JsonLimits limits() {
    return limits;
  }

  /**
   * Scans the readable bytes of {@code frame} (neither consumed nor released) into {@code result}, which is cleared
   * first. The frame must be exactly one JSON object, optionally surrounded by whitespace.
   *
   * @throws JsonScanException when the frame is refused; {@code result} is then meaningless
   */
  public void scan(ByteBuf frame, ScanResult result) throws JsonScanException {
    scanWith(frame, result);
  }

  /**
   * The scanner's working state (per-depth stacks, a name buffer) lives per thread, not per result: results are
   * held per connection, and 10,000 idle connections must not each keep a scan stack (measured: ~1.6 KB each).
   * A scan keeps nothing reachable once it returns, and never calls out, so one per thread is safe.
   */
  private static final io.netty.util.concurrent.FastThreadLocal<ByteScan> SCANS =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected ByteScan initialValue() {
          return new ByteScan();
        }
      };

  private void scanWith(ByteBuf frame, ScanResult result) throws JsonScanException {
    result.reset();
    int length = frame.readableBytes();
    if (length == 0) {
      throw new JsonScanException(JsonScanException.Reason.MALFORMED, "empty document");
    }
    ByteScan scan = SCANS.get();
    int index = frame.readerIndex();
    if (frame.hasArray()) {
      scan.scan(result, limits, frame.array(), ByteScan.BYTE_ARRAY_BASE + frame.arrayOffset() + index, length);
    } else if (frame.hasMemoryAddress()) {
      scan.scan(result, limits, (byte[]) null, frame.memoryAddress() + index, length);
    } else {
      // Several components, or memory Netty cannot address: one copy into a pooled heap buffer, scanned in place.
      ByteBuf copy = frame.alloc().heapBuffer(length, length);
      try {
        frame.getBytes(index, copy, length);
        scan.scan(result, limits, copy.array(), ByteScan.BYTE_ARRAY_BASE + copy.arrayOffset() + copy.readerIndex(),
            length);
      } finally {
        copy.release();
      }
    }
  }
}
