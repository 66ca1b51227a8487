package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
 * Cost of scanning one device response (devices.md §5.3, 356 bytes) for every field the devices dialect reads,
 * from a pooled heap buffer (array feeder) and a pooled direct buffer (ByteBuffer feeder).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonScanBenchmark {
  private static final String RESPONSE = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},"
      + "\"payload\":{\"action\":\"setPowerState\",\"clientId\":\"alexa-skill\",\"createdAt\":1795493877,"
      + "\"deviceId\":\"5dc1564130aabbccddeeff00\",\"message\":\"OK\","
      + "\"replyToken\":\"adf6d529-3f22-4977-8284-04d9c5b0ca85\",\"scope\":\"device\",\"success\":true,"
      + "\"type\":\"response\",\"value\":{\"state\":\"On\"}},"
      + "\"signature\":{\"HMAC\":\"TfdHg0mZMIq1iLOeeoQGUaopc/yNhjkXg7RvJ7RDykA=\"}}";

  private static final JsonPaths PATHS = JsonPaths.builder()
      .field("header.payloadVersion")
      .field("header.signatureVersion")
      .lastMember("payload")
      .text("payload.type", 16)
      .text("payload.action", 64)
      .text("payload.deviceId", 24)
      .text("payload.replyToken", 64)
      .field("payload.createdAt")
      .text("payload.instanceId", 64)
      .text("payload.scope", 16)
      .field("payload.success")
      .text("payload.message", 256)
      .text("payload.clientId", 64)
      .field("payload.value")
      .text("payload.cause.type", 32)
      .text("signature.HMAC", 64)
      .build();
  private static final int PAYLOAD = PATHS.slot("payload");
  private static final int CREATED_AT = PATHS.slot("payload.createdAt");

  @Param({"heap", "direct"})
  public String buffer;

  private final JsonScanner scanner = new JsonScanner(JsonLimits.defaults());
  private final ScanResult result = PATHS.newResult();
  private ByteBuf frame;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] bytes = RESPONSE.getBytes(StandardCharsets.UTF_8);
    frame = "direct".equals(buffer)
        ? PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length)
        : PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length);
    frame.writeBytes(bytes);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    frame.release();
  }

  /** Returns what a caller would use next (span length plus createdAt) so nothing is dead code. */
  @Benchmark
  public long scan() throws JsonScanException {
    scanner.scan(frame, result);
    return result.length(PAYLOAD) + result.longValue(CREATED_AT);
  }
}
