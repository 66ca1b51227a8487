package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.switchboard.codec.gzip.GzipDeflater;
import io.switchboard.codec.gzip.GzipInflater;
import io.switchboard.codec.gzip.GzipLimits;
import io.switchboard.codec.gzip.Inflated;
import io.switchboard.codec.json.JsonLimits;
import io.switchboard.codec.json.JsonPaths;
import io.switchboard.codec.json.JsonScanException;
import io.switchboard.codec.json.JsonScanner;
import io.switchboard.codec.json.ScanResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of reading one bots {@code CREATE_MESSAGE} frame (bots.md §5.2, ~400 bytes of JSON, gzip level 3 as the
 * broker writes): inflate alone, inflate then scan every field the dialect reads, and the outbound deflate. The
 * compressed frame sits in a pooled heap or direct buffer, as the WebSocket decoder would hand it over.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BotInflateBenchmark {
  static final String CREATE_MESSAGE = "{\"id\":\"8a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d\",\"action\":\"CREATE_MESSAGE\","
      + "\"params\":{\"conversation_id\":\"29443795-82e8-324f-b200-aff9b6d1f5a3\","
      + "\"recipient_id\":\"e8e5b807-fa8b-455a-8dfa-b189d28310ff\","
      + "\"message_id\":\"c3a9a3b2-6a0e-4d53-9d8e-5f0b6f4e2a10\",\"category\":\"PLAIN_TEXT\","
      + "\"representative_id\":\"\",\"quote_message_id\":\"\",\"silent\":false,\"expire_in\":0,"
      + "\"data_base64\":\"SGVsbG8sIHRoaXMgaXMgYSBib3QgbWVzc2FnZSBvZiBhIHR5cGljYWwgbGVuZ3RoLg\"}}";

  private static final JsonPaths PATHS = JsonPaths.builder()
      .text("id", 64)
      .text("action", 64)
      .text("params.conversation_id", 36)
      .text("params.recipient_id", 36)
      .text("params.message_id", 36)
      .text("params.category", 64)
      .text("params.representative_id", 36)
      .text("params.quote_message_id", 36)
      .field("params.silent")
      .field("params.expire_in")
      .field("params.data_base64")
      .field("params.data")
      .build();
  private static final int DATA = PATHS.slot("params.data_base64");

  @Param({"heap", "direct"})
  public String buffer;

  private final GzipInflater inflater = new GzipInflater(GzipLimits.defaults(), PooledByteBufAllocator.DEFAULT);
  private final GzipDeflater deflater = new GzipDeflater(GzipDeflater.DEFAULT_LEVEL, PooledByteBufAllocator.DEFAULT);
  private final JsonScanner scanner = new JsonScanner(JsonLimits.defaults());
  private final ScanResult result = PATHS.newResult();
  private ByteBuf json;
  private ByteBuf frame;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] bytes = CREATE_MESSAGE.getBytes(StandardCharsets.UTF_8);
    json = "direct".equals(buffer)
        ? PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length)
        : PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length);
    json.writeBytes(bytes);
    ByteBuf gz = deflater.deflate(json);
    frame = "direct".equals(buffer)
        ? PooledByteBufAllocator.DEFAULT.directBuffer(gz.readableBytes())
        : PooledByteBufAllocator.DEFAULT.heapBuffer(gz.readableBytes());
    frame.writeBytes(gz);
    gz.release();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    frame.release();
    json.release();
    inflater.close();
    deflater.close();
  }

  @Benchmark
  public int inflate() {
    Inflated inflated = inflater.inflate(frame);
    int n = inflated.content().readableBytes();
    inflated.content().release();
    return n;
  }

  @Benchmark
  public int inflateAndScan() throws JsonScanException {
    ByteBuf content = inflater.inflate(frame).content();
    try {
      scanner.scan(content, result);
      return result.length(DATA);
    } finally {
      content.release();
    }
  }

  @Benchmark
  public int deflate() {
    ByteBuf out = deflater.deflate(json);
    int n = out.readableBytes();
    out.release();
    return n;
  }
}
