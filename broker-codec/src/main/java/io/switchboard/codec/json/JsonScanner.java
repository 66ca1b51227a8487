package io.switchboard.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import com.fasterxml.jackson.core.async.NonBlockingInputFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Scans one JSON frame straight from a {@link ByteBuf} with Jackson's non-blocking parser: the frame is never
 * turned into a String, copied or re-serialised, so the byte spans it reports are exactly what the sender signed.
 * A heap buffer's backing array is fed as is; a direct or composite buffer is fed through its NIO views, chunk by
 * chunk. Thread-safe and meant to be shared: it only holds the {@link JsonFactory} built for its limits.
 */
public final class JsonScanner {
  private final JsonLimits limits;
  private final JsonFactory factory;

  public JsonScanner(JsonLimits limits) {
    this.limits = limits;
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            // One level of slack: PathWalk refuses depth itself, stacklessly; Jackson's bound is the backstop.
            .maxNestingDepth(limits.maxDepth() + 1)
            .maxStringLength(limits.maxStringChars())
            .maxNumberLength(limits.maxNumberChars())
            .maxNameLength(limits.maxNameChars())
            .build())
        // Hostile frames may carry many distinct names: never intern them into the JVM's string table.
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
        // Locations must not keep a reference to (or print) frame contents.
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
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
    result.reset();
    if (!frame.isReadable()) {
      throw new JsonScanException(JsonScanException.Reason.MALFORMED, "empty document");
    }
    PathWalk walk = result.walk();
    walk.begin(result, limits, frame);
    try {
      if (frame.hasArray()) {
        scanArray(frame, walk);
      } else {
        scanNio(frame, walk);
      }
    } catch (StreamConstraintsException e) {
      throw new JsonScanException(JsonScanException.Reason.LIMIT, e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new JsonScanException(JsonScanException.Reason.MALFORMED, e.getOriginalMessage());
    } catch (IOException e) {
      throw new JsonScanException(JsonScanException.Reason.MALFORMED, e.getMessage());
    } finally {
      walk.end();
    }
  }

  private void scanArray(ByteBuf frame, PathWalk walk) throws IOException, JsonScanException {
    try (JsonParser p = factory.createNonBlockingByteArrayParser()) {
      ByteArrayFeeder feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
      int start = frame.arrayOffset() + frame.readerIndex();
      feeder.feedInput(frame.array(), start, start + frame.readableBytes());
      finish(feeder, p, walk);
    }
  }

  private void scanNio(ByteBuf frame, PathWalk walk) throws IOException, JsonScanException {
    try (JsonParser p = factory.createNonBlockingByteBufferParser()) {
      ByteBufferFeeder feeder = (ByteBufferFeeder) p.getNonBlockingInputFeeder();
      if (frame.nioBufferCount() == 1) {
        feeder.feedInput(frame.nioBuffer());
      } else {
        // A composite (e.g. an aggregated WebSocket message): feed component by component, still without a copy.
        for (ByteBuffer chunk : frame.nioBuffers()) {
          if (chunk.hasRemaining()) {
            feeder.feedInput(chunk);
            if (walk.run(p, false)) {
              throw new IllegalStateException("parser ended before end of input");
            }
          }
        }
      }
      finish(feeder, p, walk);
    }
  }

  private static void finish(NonBlockingInputFeeder feeder, JsonParser p, PathWalk walk)
      throws IOException, JsonScanException {
    feeder.endOfInput();
    if (!walk.run(p, true)) {
      // Everything was fed and the end announced: more input can never come.
      throw new JsonScanException(JsonScanException.Reason.MALFORMED, "incomplete document");
    }
  }
}
