package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.auth.HmacSha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * HMAC-SHA256 of a typical devices payload (a §5.2 request with a small value, 362 bytes), the per-message cost of
 * devices.md §3.2 step 5: JCA over heap bytes, JCA over a direct ByteBuffer, BouncyCastle's {@code HMac}, and the
 * codec's {@link HmacSha256} over heap and direct {@link ByteBuf} spans (JCA plus its per-thread Mac lookup).
 * Run: {@code java -jar broker-bench/target/benchmarks.jar Hmac -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HmacBenchmark {
  private static final String SECRET = "5f361234-a3b7-4c3d-9e0e-e86724a91234-4c4a1234-3a3b-45de-a9b3-333d65123456";
  private static final String PAYLOAD = "{\"action\":\"setRangeValue\",\"clientId\":\"alexa-skill\","
      + "\"createdAt\":1795493940,\"deviceAttributes\":[],\"deviceId\":\"5dc1564130aabbccddeeff00\","
      + "\"instanceId\":\"Blind.Lift\",\"replyToken\":\"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a\",\"type\":\"request\","
      + "\"value\":{\"rangeValue\":75,\"bands\":[{\"name\":\"BASS\",\"value\":-2},{\"name\":\"TREBLE\",\"value\":3}],"
      + "\"label\":\"Living room blind, south window\"}}";

  private byte[] heap;
  private ByteBuffer direct;
  private ByteBuf heapBuf;
  private ByteBuf directBuf;
  private Mac jca;
  private HMac bouncy;
  private final byte[] bouncyOut = new byte[32];

  @Setup
  public void setUp() throws Exception {
    heap = PAYLOAD.getBytes(StandardCharsets.UTF_8);
    direct = ByteBuffer.allocateDirect(heap.length).put(heap).flip();
    heapBuf = Unpooled.wrappedBuffer(heap);
    directBuf = Unpooled.directBuffer(heap.length).writeBytes(heap);
    byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
    jca = Mac.getInstance("HmacSHA256");
    jca.init(new SecretKeySpec(key, "HmacSHA256"));
    bouncy = new HMac(new SHA256Digest());
    bouncy.init(new KeyParameter(key));
  }

  @TearDown
  public void tearDown() {
    heapBuf.release();
    directBuf.release();
  }

  @Benchmark
  public byte[] jcaHeap() {
    jca.update(heap, 0, heap.length);
    return jca.doFinal();
  }

  @Benchmark
  public byte[] jcaDirect() {
    direct.clear();
    jca.update(direct);
    return jca.doFinal();
  }

  @Benchmark
  public byte[] bouncyCastleHeap() {
    bouncy.update(heap, 0, heap.length);
    bouncy.doFinal(bouncyOut, 0);
    return bouncyOut;
  }

  @Benchmark
  public byte[] codecHeapSpan() {
    return HmacSha256.sign(SECRET, heapBuf, 0, heap.length);
  }

  @Benchmark
  public byte[] codecDirectSpan() {
    return HmacSha256.sign(SECRET, directBuf, 0, heap.length);
  }
}
