package io.switchboard.codec.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The registered keys: bots.md §1's text forms, and validation at registration rather than at every token. */
class JwtKeysTest {
  @Test
  void ed25519_whenHexOrBase64Url_thenTheSameKey() {
    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(JwtFixtures.PUBLIC);

    assertThat(Ed25519PublicKey.parse(JwtFixtures.PUBLIC_HEX)).isEqualTo(JwtFixtures.KEY);
    assertThat(Ed25519PublicKey.parse(JwtFixtures.PUBLIC_HEX.toUpperCase())).isEqualTo(JwtFixtures.KEY);
    assertThat(Ed25519PublicKey.parse(b64)).isEqualTo(JwtFixtures.KEY);
    assertThat(Ed25519PublicKey.parse(b64 + "=")).isEqualTo(JwtFixtures.KEY);
    assertThat(JwtFixtures.KEY.raw()).isEqualTo(JwtFixtures.PUBLIC);
  }

  @Test
  void ed25519_whenWrongLengthTextOrNotAValidPoint_thenRefusedAtRegistration() {
    assertThatThrownBy(() -> Ed25519PublicKey.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ed25519PublicKey.parse("zz" + JwtFixtures.PUBLIC_HEX.substring(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ed25519PublicKey.parse("short")).isInstanceOf(IllegalArgumentException.class);
    byte[] identity = new byte[32];
    identity[0] = 1; // the neutral point: small order, verifies forged signatures in lax implementations
    assertThatThrownBy(() -> Ed25519PublicKey.of(identity)).isInstanceOf(IllegalArgumentException.class);
    byte[] notOnCurve = HexFormat.of().parseHex("0200000000000000000000000000000000000000000000000000000000000000");
    assertThatThrownBy(() -> Ed25519PublicKey.of(notOnCurve)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rsa_whenSpkiOrPkcs1Pem_thenTheSameKey() throws Exception {
    RSAPublicKey key = (RSAPublicKey) JwtFixtures.rsa().getPublic();
    byte[] spki = key.getEncoded();
    byte[] pkcs1 = Arrays.copyOfRange(spki, 24, spki.length); // 2048-bit: 24-byte SPKI prefix
    String spkiPem = pem("PUBLIC KEY", spki);
    String pkcs1Pem = pem("RSA PUBLIC KEY", pkcs1);

    assertThat(Rs512PublicKey.parsePem(spkiPem).key()).isEqualTo(key);
    assertThat(Rs512PublicKey.parsePem(pkcs1Pem).key()).isEqualTo(key);
    assertThatThrownBy(() -> Rs512PublicKey.parsePem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rs512PublicKey.parsePem(JwtFixtures.PUBLIC_HEX))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
