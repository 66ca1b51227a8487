package io.switchboard.codec.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureBase64Test {

  @Test
  void encodeAndDecode_whenRandomMacs_thenAgreeWithJavaUtilBase64() {
    SplittableRandom random = new SplittableRandom(42);
    byte[] mac = new byte[32];
    byte[] decoded = new byte[32];
    ByteBuf out = Unpooled.buffer(44);
    try {
      for (int i = 0; i < 2000; i++) {
        random.nextBytes(mac);
        String expected = Base64.getEncoder().encodeToString(mac);
        out.clear();
        SignatureBase64.encode(mac, out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
        assertThat(SignatureBase64.decode(expected, decoded)).isTrue();
        assertThat(decoded).isEqualTo(mac);
      }
    } finally {
      out.release();
    }
  }

  @Test
  void decode_whenCharSequenceNotString_thenWorks() {
    byte[] out = new byte[32];
    assertThat(SignatureBase64.decode(new StringBuilder("5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7sPDg="), out)).isTrue();
    assertThat(out[0]).isEqualTo((byte) 0xe5);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "xxx",
      "5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7sPDg", // no padding
      "5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7sPD==", // two '=': 31 bytes
      "5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7sPDg==",
      "5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7sPDg=\n",
      "5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7s_Dg=", // URL-safe alphabet
      "5aR5dHuVPOb1rYrWIzSbwqJX6mWMlH1EluQ2Pl7séDg=",
      "5aR5dHuVPOb1rYrWIzSbw JX6mWMlH1EluQ2Pl7sPDg="})
  void decode_whenNotPaddedBase64Of32Bytes_thenFalse(String text) {
    assertThat(SignatureBase64.decode(text, new byte[32])).isFalse();
    assertThat(SignatureBase64.decodeOrNull(text)).isNull();
  }

  @Test
  void decode_whenNull_thenFalse() {
    assertThat(SignatureBase64.decode(null, new byte[32])).isFalse();
  }
}
