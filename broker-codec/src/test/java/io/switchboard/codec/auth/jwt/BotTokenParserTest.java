package io.switchboard.codec.auth.jwt;

import static io.switchboard.codec.auth.jwt.JwtFixtures.EDDSA_HEADER;
import static io.switchboard.codec.auth.jwt.JwtFixtures.EXAMPLE_TOKEN;
import static io.switchboard.codec.auth.jwt.JwtFixtures.SEED;
import static io.switchboard.codec.auth.jwt.JwtFixtures.UPGRADE_SIG;
import static io.switchboard.codec.auth.jwt.JwtFixtures.b64;
import static io.switchboard.codec.auth.jwt.JwtFixtures.signEd25519;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** bots.md §3.2 step 1: what a bot token must look like before any key or clock is consulted. */
class BotTokenParserTest {
  private static final String CLAIMS = JwtFixtures.claims(1795493877L, 1795497477L, "j-1", UPGRADE_SIG);

  @Test
  void parse_whenSpecExample_thenHeaderAndEveryClaim() throws Exception {
    BotToken t = BotTokenParser.parse(EXAMPLE_TOKEN);

    assertThat(t.alg()).isEqualTo("EdDSA");
    assertThat(t.algorithm()).isEqualTo(JwtAlgorithm.EDDSA);
    assertThat(t.headerBringsKey()).isFalse();
    assertThat(t.uid()).isEqualTo(JwtFixtures.UID);
    assertThat(t.sid()).isEqualTo(JwtFixtures.SID);
    assertThat(t.iat()).isEqualTo(JwtFixtures.EXAMPLE_IAT);
    assertThat(t.exp()).isEqualTo(JwtFixtures.EXAMPLE_EXP);
    assertThat(t.jti()).isEqualTo(JwtFixtures.EXAMPLE_JTI);
    assertThat(t.sig()).isEqualTo(UPGRADE_SIG);
    assertThat(t.scp()).isEqualTo("FULL");
    assertThat(t.signature()).hasSize(64);
    assertThat(new String(t.signingInput(), StandardCharsets.US_ASCII))
        .isEqualTo(EXAMPLE_TOKEN.substring(0, EXAMPLE_TOKEN.lastIndexOf('.')));
    assertThat(t.toString()).doesNotContain(EXAMPLE_TOKEN.substring(EXAMPLE_TOKEN.lastIndexOf('.') + 1));
  }

  @Test
  void parse_whenNoScpUnknownClaimsKidAndFractionalDates_thenAccepted() throws Exception {
    String claims = "{\"uid\":\"u\",\"sid\":\"s\",\"iat\":1795493877.9,\"exp\":1795497477,\"jti\":\"j\",\"sig\":\"x\","
        + "\"extra\":{\"nested\":[1,{\"a\":2}]}}";
    BotToken t = BotTokenParser.parse(signEd25519(SEED, "{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"x\":[1]}", claims));

    assertThat(t.scp()).isNull();
    assertThat(t.iat()).isEqualTo(1795493877L);
    assertThat(t.headerBringsKey()).as("kid names a key, brings none").isFalse();
  }

  @Test
  void parse_whenAtMostFourKiB_thenAcceptedAndLongerRefused() throws Exception {
    int pad = (BotTokenParser.MAX_LENGTH - paddedToken(0).length()) * 3 / 4 - 4; // 3 bytes per 4 characters
    while (paddedToken(pad).length() < BotTokenParser.MAX_LENGTH) {
      pad++;
    }
    String exact = paddedToken(pad);
    assertThat(exact).hasSize(BotTokenParser.MAX_LENGTH); // a length of 4k + 1 could not be spelled; 4096 can

    assertThat(BotTokenParser.parse(exact).uid()).isEqualTo(JwtFixtures.UID);
    assertMalformed(paddedToken(pad + 1), "longer than 4096");
    assertMalformed(EXAMPLE_TOKEN + "A".repeat(5000), "longer than 4096");
  }

  /** A valid token whose claims carry {@code pad} filler characters. */
  private static String paddedToken(int pad) {
    return signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"scp\"", "\"pad\":\"" + "p".repeat(pad) + "\",\"scp\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "..", "a..c", ".b.c"})
  void parse_whenNotThreeNonEmptyParts_thenMalformed(String token) {
    assertThatThrownBy(() -> BotTokenParser.parse(token)).isInstanceOf(MalformedTokenException.class);
  }

  @Test
  void parse_whenPartIsNotCanonicalUnpaddedBase64Url_thenMalformed() {
    int dot = EXAMPLE_TOKEN.lastIndexOf('.');
    String signature = EXAMPLE_TOKEN.substring(dot + 1); // 86 chars: 2 left over, last char carries 2 bits
    String input = EXAMPLE_TOKEN.substring(0, dot);

    assertMalformed(input + "." + signature + "==", "base64url");
    assertMalformed(input + "." + signature.replace('_', '/'), "base64url");
    assertMalformed(input + "." + signature.replace('-', '+').replace('_', '+'), "base64url");
    assertMalformed(input + "." + signature.substring(0, 85) + "B", "base64url"); // 'A' -> 'B': unused bit set
    assertMalformed(input + "." + signature.substring(1), "base64url"); // length 4k + 1
    assertMalformed(input + "." + signature.substring(0, 40) + "é" + signature.substring(41), "base64url");
    assertMalformed(" " + EXAMPLE_TOKEN, "base64url");
    assertMalformed(EXAMPLE_TOKEN.replace(".", "=."), "base64url");
  }

  @Test
  void parse_whenJsonPartsAreNotSingleObjects_thenMalformed() {
    assertMalformed(signEd25519(SEED, "[\"alg\"]", CLAIMS), "header");
    assertMalformed(signEd25519(SEED, "{\"alg\":\"EdDSA\"", CLAIMS), "header");
    assertMalformed(signEd25519(SEED, "{\"alg\":\"EdDSA\"}{}", CLAIMS), "header");
    assertMalformed(signEd25519(SEED, "{\"alg\":\"EdDSA\",\"alg\":\"none\"}", CLAIMS), "header");
    assertMalformed(signEd25519(SEED, "{\"typ\":\"JWT\"}", CLAIMS), "no alg");
    assertMalformed(signEd25519(SEED, "{\"alg\":null}", CLAIMS), "alg is not a string");
    assertMalformed(signEd25519(SEED, "{\"alg\":\"EdDSA\",\"crit\":[\"b64\"]}", CLAIMS), "crit");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, "\"uid\""), "payload");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS + " x"), "payload");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("{", "{\"uid\":\"other\",")), "payload");
    String badUtf8 = b64(EDDSA_HEADER) + "." + b64(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}) + ".AA";
    assertMalformed(badUtf8, "payload");
  }

  @Test
  void parse_whenRequiredClaimMissingOrMistyped_thenMalformed() {
    for (String claim : new String[] {"uid", "sid", "jti", "sig"}) {
      assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"" + claim + "\":", "\"_" + claim + "\":")),
          "missing claim");
      assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replaceFirst("\"" + claim + "\":\"[^\"]*\"",
          "\"" + claim + "\":7")), claim + " is not a string");
    }
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"iat\":", "\"_iat\":")), "missing claim");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"exp\":", "\"_exp\":")), "missing claim");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"iat\":1795493877", "\"iat\":\"1795493877\"")),
        "iat is not a NumericDate");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"exp\":1795497477", "\"exp\":1e400")),
        "exp is not a NumericDate");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"exp\":1795497477", "\"exp\":1" + "0".repeat(30))),
        "exp is not a NumericDate");
  }

  @Test
  void parse_whenOAuthStyleTokenWithoutUid_thenMalformed() {
    String oauth = "{\"aid\":\"0a1b2c3d\",\"iss\":\"" + JwtFixtures.UID + "\",\"iat\":1795493877,\"exp\":1795497477,"
        + "\"jti\":\"j\",\"sig\":\"" + UPGRADE_SIG + "\",\"scp\":\"PROFILE:READ MESSAGES:REPRESENT\"}";
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, oauth), "OAuth-style");
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, oauth.replace("\"aid\":\"0a1b2c3d\",", "")), "OAuth-style");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROFILE:READ", "full", "", "FULL "})
  void parse_whenScpPresentButNotFull_thenMalformed(String scp) {
    assertMalformed(signEd25519(SEED, EDDSA_HEADER, CLAIMS.replace("\"FULL\"", "\"" + scp + "\"")), "scp");
  }

  @Test
  void parse_whenHeaderBringsKeyMaterial_thenFlaggedForStepTwo() throws Exception {
    for (String member : new String[] {"\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}",
        "\"jku\":\"https://evil.example/jwks\"", "\"x5u\":\"https://evil.example/c\"", "\"x5c\":[\"MIIB\"]",
        "\"x5t\":\"abc\"", "\"x5t#S256\":\"abc\""}) {
      BotToken t = BotTokenParser.parse(signEd25519(SEED, "{\"alg\":\"EdDSA\"," + member + "}", CLAIMS));
      assertThat(t.headerBringsKey()).as(member).isTrue();
    }
  }

  @Test
  void parse_whenUnsecuredToken_thenParsedWithAnEmptySignatureSoStepTwoCountsIt() throws Exception {
    BotToken t = BotTokenParser.parse(JwtFixtures.unsigned("{\"alg\":\"none\"}", CLAIMS));

    assertThat(t.algorithm()).isNull();
    assertThat(t.signature()).isEmpty();
  }

  private static void assertMalformed(String token, String why) {
    assertThatThrownBy(() -> BotTokenParser.parse(token))
        .isInstanceOf(MalformedTokenException.class)
        .hasMessageContaining(why);
  }
}
