package io.switchboard.codec.gzip;

import static io.switchboard.codec.gzip.GzipTestSupport.JSON;
import static io.switchboard.codec.gzip.GzipTestSupport.POOLED;
import static io.switchboard.codec.gzip.GzipTestSupport.bytes;
import static io.switchboard.codec.gzip.GzipTestSupport.frame;
import static io.switchboard.codec.gzip.GzipTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.gzip.GzipTestSupport.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GzipDeflaterTest {

  private static byte[] gunzip(byte[] member) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] deflate(GzipDeflater deflater, byte[] data, Kind kind) {
    ByteBuf in = frame(data, kind);
    ByteBuf out = deflater.deflate(in);
    try {
      assertThat(in.readableBytes()).as("the input is not consumed").isEqualTo(data.length);
      return bytes(out);
    } finally {
      in.release();
      out.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void writesOneMemberThatGzipInputStreamReads(Kind kind) {
    byte[] big = new byte[200_000];
    new Random(3).nextBytes(big); // incompressible: exercises the stored-block bound
    try (GzipDeflater deflater = new GzipDeflater(GzipDeflater.DEFAULT_LEVEL, POOLED)) {
      for (byte[] data : new byte[][] {utf8(JSON), new byte[0], big, utf8(JSON.repeat(500))}) {
        byte[] member = deflate(deflater, data, kind);
        assertThat(member[0] & 0xff).isEqualTo(0x1f);
        assertThat(member[1] & 0xff).isEqualTo(0x8b);
        assertThat(member[3]).as("no optional fields").isZero();
        assertThat(gunzip(member)).isEqualTo(data);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 6, 9})
  void everyLevelRoundTrips(int level) {
    try (GzipDeflater deflater = new GzipDeflater(level, POOLED)) {
      assertThat(gunzip(deflate(deflater, utf8(JSON), Kind.DIRECT))).isEqualTo(utf8(JSON));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 10})
  void refusesLevelsOutsideZlibs(int level) {
    assertThatThrownBy(() -> new GzipDeflater(level, POOLED)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void boundCoversStoredBlocks() {
    assertThat(GzipDeflater.bound(0)).isGreaterThanOrEqualTo(5);
    assertThat(GzipDeflater.bound(1 << 20)).isGreaterThan((1 << 20) + 5 * ((1 << 20) / 65535));
  }
}
