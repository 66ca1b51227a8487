package io.switchboard.codec.gzip;

import static io.switchboard.codec.gzip.GzipTestSupport.JSON;
import static io.switchboard.codec.gzip.GzipTestSupport.POOLED;
import static io.switchboard.codec.gzip.GzipTestSupport.bytes;
import static io.switchboard.codec.gzip.GzipTestSupport.concat;
import static io.switchboard.codec.gzip.GzipTestSupport.frame;
import static io.switchboard.codec.gzip.GzipTestSupport.gzip;
import static io.switchboard.codec.gzip.GzipTestSupport.gzipZeros;
import static io.switchboard.codec.gzip.GzipTestSupport.member;
import static io.switchboard.codec.gzip.GzipTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.gzip.GzipTestSupport.Kind;
import io.switchboard.codec.gzip.GzipTestSupport.RecordingAllocator;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GzipInflaterTest {
  private final GzipInflater inflater = new GzipInflater(GzipLimits.defaults(), POOLED);

  @AfterEach
  void close() {
    inflater.close();
  }

  /** Inflates {@code member} from a frame of {@code kind}; returns the content bytes, or null when not OK. */
  private static byte[] inflate(GzipInflater inflater, byte[] member, Kind kind, InflateStatus expected) {
    ByteBuf frame = frame(member, kind);
    int readerIndex = frame.readerIndex();
    Inflated result = inflater.inflate(frame);
    try {
      assertThat(result.status()).isEqualTo(expected);
      assertThat(frame.readerIndex()).as("the frame is not consumed").isEqualTo(readerIndex);
      assertThat(frame.refCnt()).as("the frame is the caller's").isEqualTo(1);
      return result.ok() ? bytes(result.content()) : null;
    } finally {
      frame.release();
      if (result.ok()) {
        result.content().release();
      }
    }
  }

  private byte[] inflate(byte[] member, Kind kind, InflateStatus expected) {
    return inflate(inflater, member, kind, expected);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void inflatesAMemberWrittenByGzipOutputStream(Kind kind) {
    assertThat(inflate(gzip(utf8(JSON)), kind, InflateStatus.OK)).isEqualTo(utf8(JSON));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void roundTripsTheDeflater(Kind kind) {
    byte[] json = utf8(JSON);
    try (GzipDeflater deflater = new GzipDeflater(GzipDeflater.DEFAULT_LEVEL, POOLED)) {
      ByteBuf in = frame(json, kind);
      ByteBuf gz = deflater.deflate(in);
      in.release();
      byte[] member = bytes(gz);
      gz.release();
      assertThat(inflate(member, kind, InflateStatus.OK)).isEqualTo(json);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {GzipFormat.FNAME, GzipFormat.FCOMMENT, GzipFormat.FHCRC, GzipFormat.FEXTRA,
      GzipFormat.FEXTRA | GzipFormat.FNAME | GzipFormat.FCOMMENT | GzipFormat.FHCRC, 0x01 /* FTEXT */})
  void acceptsEveryOptionalHeaderField(int flags) {
    for (Kind kind : Kind.values()) {
      assertThat(inflate(member(utf8(JSON), flags, 0), kind, InflateStatus.OK)).isEqualTo(utf8(JSON));
    }
  }

  @Test
  void refusesAWrongHeaderCrc() {
    inflate(member(utf8(JSON), GzipFormat.FHCRC | GzipFormat.FNAME, 1), Kind.HEAP, InflateStatus.NOT_GZIP);
  }

  @Test
  void refusesReservedFlagsAndOtherMethods() {
    byte[] reserved = member(utf8(JSON), 0, 0);
    reserved[3] = 0x20;
    inflate(reserved, Kind.HEAP, InflateStatus.NOT_GZIP);
    byte[] stored = member(utf8(JSON), 0, 0);
    stored[2] = 7;
    inflate(stored, Kind.HEAP, InflateStatus.NOT_GZIP);
  }

  @Test
  void refusesUnterminatedNameAndOverlongExtra() {
    byte[] name = Arrays.copyOf(new byte[] {0x1f, (byte) 0x8b, 8, GzipFormat.FNAME, 0, 0, 0, 0, 0, 3}, 40);
    Arrays.fill(name, 10, 40, (byte) 'a');
    inflate(name, Kind.HEAP, InflateStatus.NOT_GZIP);
    byte[] extra = member(utf8(JSON), GzipFormat.FEXTRA, 0);
    extra[10] = (byte) 0xff;
    extra[11] = (byte) 0xff;
    inflate(extra, Kind.DIRECT, InflateStatus.NOT_GZIP);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void refusesWhatIsNotExactlyOneValidMember(Kind kind) {
    byte[] good = gzip(utf8(JSON));
    inflate(utf8(JSON), kind, InflateStatus.NOT_GZIP);
    inflate(new byte[0], kind, InflateStatus.NOT_GZIP);
    inflate(Arrays.copyOf(good, good.length - 1), kind, InflateStatus.NOT_GZIP);
    inflate(Arrays.copyOf(good, good.length - 8), kind, InflateStatus.NOT_GZIP);
    inflate(Arrays.copyOf(good, good.length / 2), kind, InflateStatus.NOT_GZIP);
    inflate(Arrays.copyOf(good, 12), kind, InflateStatus.NOT_GZIP);
    inflate(concat(good, good), kind, InflateStatus.NOT_GZIP);
    inflate(concat(good, new byte[] {0}), kind, InflateStatus.NOT_GZIP);
    inflate(concat(good, utf8("garbage")), kind, InflateStatus.NOT_GZIP);
    byte[] badCrc = good.clone();
    badCrc[good.length - 8] ^= 1;
    inflate(badCrc, kind, InflateStatus.NOT_GZIP);
    byte[] badSize = good.clone();
    badSize[good.length - 4] ^= 1;
    inflate(badSize, kind, InflateStatus.NOT_GZIP);
    byte[] corrupt = good.clone();
    corrupt[10] = (byte) 0xff; // block type 3 is reserved
    inflate(corrupt, kind, InflateStatus.NOT_GZIP);
  }

  @Test
  void stopsABombAtTheRatioBeforeTheBufferGrows() {
    RecordingAllocator alloc = new RecordingAllocator();
    byte[] bomb = gzipZeros(100L << 20);
    long start = System.nanoTime();
    try (GzipInflater guarded = new GzipInflater(GzipLimits.defaults(), alloc)) {
      inflate(guarded, bomb, Kind.DIRECT, InflateStatus.INFLATED_TOO_LARGE);
      assertThat(guarded.lastInflatedBytes()).isLessThanOrEqualTo(64 * 1024);
    }
    assertThat(System.nanoTime() - start).as("stopped early, not after 100 MiB").isLessThan(2_000_000_000L);
    assertThat(alloc.maxCapacities).containsOnly(GzipLimits.DEFAULT_MAX_INFLATED_BYTES);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void stopsABombAtTheCapWithoutTheRatioCheck(Kind kind) {
    RecordingAllocator alloc = new RecordingAllocator();
    byte[] bomb = gzipZeros(100L << 20);
    long start = System.nanoTime();
    try (GzipInflater capped = new GzipInflater(GzipLimits.defaults().withMaxRatio(0), alloc)) {
      inflate(capped, bomb, kind, InflateStatus.INFLATED_TOO_LARGE);
      assertThat(capped.lastInflatedBytes()).isEqualTo(GzipLimits.DEFAULT_MAX_INFLATED_BYTES);
    }
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    // Netty never lets a buffer's capacity pass its maximum capacity: the output could not outgrow the cap.
    assertThat(alloc.maxCapacities).containsOnly(GzipLimits.DEFAULT_MAX_INFLATED_BYTES);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void acceptsExactlyTheCapAndRefusesOneByteMore(Kind kind) {
    int cap = 100_000;
    byte[] data = new byte[cap + 1];
    new Random(7).nextBytes(data);
    try (GzipInflater capped = new GzipInflater(GzipLimits.defaults().withMaxInflatedBytes(cap), POOLED)) {
      ByteBuf frame = frame(gzip(Arrays.copyOf(data, cap)), kind);
      Inflated ok = capped.inflate(frame);
      frame.release();
      assertThat(ok.status()).isEqualTo(InflateStatus.OK);
      assertThat(ok.content().capacity()).isLessThanOrEqualTo(cap);
      assertThat(ok.content().maxCapacity()).isEqualTo(cap);
      assertThat(bytes(ok.content())).isEqualTo(Arrays.copyOf(data, cap));
      ok.content().release();
      inflate(capped, gzip(data), kind, InflateStatus.INFLATED_TOO_LARGE);
      assertThat(capped.lastInflatedBytes()).isEqualTo(cap);
    }
  }

  @Test
  void ordinaryJsonPassesTheRatioCheck() {
    byte[] json = utf8(JSON.repeat(2000)); // ~800 KiB of one repeated frame: highly compressible, still < 500:1
    assertThat(inflate(gzip(json), Kind.HEAP, InflateStatus.OK)).isEqualTo(json);
  }

  @Test
  void aFrameOfOneRepeatedLetterPassesTheRatioCheck() {
    String letters = java.util.Base64.getEncoder().encodeToString("a".repeat(64 * 1024).getBytes());
    byte[] json = utf8(JSON.replace("SGVsbG8_ID4-", letters));
    assertThat(inflate(gzip(json), Kind.DIRECT, InflateStatus.OK)).isEqualTo(json);
  }

  @Test
  void aSmallBombIsStoppedByTheRatioToo() {
    try (GzipInflater guarded = new GzipInflater(GzipLimits.defaults(), POOLED)) {
      inflate(guarded, gzipZeros(1 << 20), Kind.HEAP, InflateStatus.INFLATED_TOO_LARGE);
      assertThat(guarded.lastInflatedBytes()).isLessThanOrEqualTo(64 * 1024);
    }
  }

  @Test
  void reusesOneStreamAcrossFramesAndFailures() {
    byte[] good = gzip(utf8(JSON));
    for (int i = 0; i < 100; i++) {
      inflate(good, Kind.values()[i % 3], InflateStatus.OK);
      inflate(Arrays.copyOf(good, good.length - 3), Kind.HEAP, InflateStatus.NOT_GZIP);
    }
  }

  @Test
  void closedInflaterRefuses() {
    inflater.close();
    inflater.close();
    ByteBuf frame = frame(gzip(utf8(JSON)), Kind.HEAP);
    try {
      assertThatThrownBy(() -> inflater.inflate(frame)).isInstanceOf(IllegalStateException.class);
    } finally {
      frame.release();
    }
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new GzipLimits(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GzipLimits(10, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
