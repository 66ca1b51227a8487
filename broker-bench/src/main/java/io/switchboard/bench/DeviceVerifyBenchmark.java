package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.switchboard.codec.auth.HmacSha256;
import io.switchboard.codec.auth.SignatureBase64;
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
 * The devices dialect's inbound hot path on a signed response (devices.md §5.3, 356 bytes, and padded to 4.4 KB
 * to show allocation does not grow with the frame): scan the frame's own
 * bytes for the fields and the raw {@code payload} span, decode the signature, HMAC the span in place and compare
 * in constant time. Run with {@code -prof gc}: the allocation per message must stay far below the frame size
 * (no copy of the frame). {@code scanOnly} is the baseline measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeviceVerifyBenchmark {
  private static final String SECRET =
      "5f361234-a3b7-4c3d-9e0e-e86724a91234-4c4a1234-3a3b-45de-a9b3-333d65123456";
  private static final String RESPONSE = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},"
      + "\"payload\":{\"action\":\"setPowerState\",\"clientId\":\"alexa-skill\",\"createdAt\":1795493877,"
      + "\"deviceId\":\"5dc1564130aabbccddeeff00\",\"message\":\"OK\","
      + "\"replyToken\":\"adf6d529-3f22-4977-8284-04d9c5b0ca85\",\"scope\":\"device\",\"success\":true,"
      + "\"type\":\"response\",\"value\":{\"state\":\"On\"}},"
      + "\"signature\":{\"HMAC\":\"TfdHg0mZMIq1iLOeeoQGUaopc/yNhjkXg7RvJ7RDykA=\"}}";
  private static final JsonPaths PATHS = JsonPaths.builder()
      .field("header").field("signature").lastMember("payload")
      .field("header.payloadVersion").field("header.signatureVersion").text("signature.HMAC", 64)
      .text("payload.type", 32).text("payload.action", 128).text("payload.deviceId", 64)
      .text("payload.replyToken", 128).field("payload.createdAt").text("payload.instanceId", 128)
      .text("payload.scope", 32).field("payload.success").text("payload.message", 1024)
      .text("payload.clientId", 128).field("payload.value").text("payload.cause.type", 64)
      .build();
  private static final int PAYLOAD = PATHS.slot("payload");
  private static final int HMAC = PATHS.slot("signature.HMAC");
  private static final int CREATED_AT = PATHS.slot("payload.createdAt");

  @Param({"heap", "direct"})
  public String buffer;

  /** Extra characters in the payload's value: allocation per message must not grow with the frame. */
  @Param({"0", "4000"})
  public int padding;

  private final JsonScanner scanner = new JsonScanner(JsonLimits.defaults());
  private final ScanResult result = PATHS.newResult();
  private final byte[] mac = new byte[HmacSha256.LENGTH];
  private ByteBuf frame;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] bytes = message(padding).getBytes(StandardCharsets.UTF_8);
    frame = "direct".equals(buffer)
        ? PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length)
        : PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length);
    frame.writeBytes(bytes);
    if (scanAndVerify() != 1) {
      throw new IllegalStateException("the sample does not verify");
    }
  }

  /** The §5.3 response, its value padded with {@code extra} characters and signed again. */
  private static String message(int extra) {
    if (extra == 0) {
      return RESPONSE;
    }
    String payload = "{\"action\":\"setPowerState\",\"clientId\":\"alexa-skill\",\"createdAt\":1795493877,"
        + "\"deviceId\":\"5dc1564130aabbccddeeff00\",\"message\":\"OK\","
        + "\"replyToken\":\"adf6d529-3f22-4977-8284-04d9c5b0ca85\",\"scope\":\"device\",\"success\":true,"
        + "\"type\":\"response\",\"value\":{\"state\":\"On\",\"note\":\"" + "x".repeat(extra) + "\"}}";
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String hmac = java.util.Base64.getEncoder().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
      return "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},\"payload\":" + payload
          + ",\"signature\":{\"HMAC\":\"" + hmac + "\"}}";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    frame.release();
  }

  @Benchmark
  public long scanOnly() throws JsonScanException {
    scanner.scan(frame, result);
    return result.length(PAYLOAD) + result.longValue(CREATED_AT);
  }

  @Benchmark
  public long scanAndVerify() {
    try {
      scanner.scan(frame, result);
    } catch (JsonScanException e) {
      return -1;
    }
    if (!SignatureBase64.decode(result.textView(HMAC), mac)) {
      return -2;
    }
    return HmacSha256.verify(SECRET, frame, frame.readerIndex() + result.start(PAYLOAD), result.length(PAYLOAD), mac)
        ? 1 : 0;
  }
}
