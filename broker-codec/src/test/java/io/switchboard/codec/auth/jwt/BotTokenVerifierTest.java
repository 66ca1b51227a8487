package io.switchboard.codec.auth.jwt;

import static io.switchboard.codec.auth.jwt.JwtFixtures.EDDSA_HEADER;
import static io.switchboard.codec.auth.jwt.JwtFixtures.EXAMPLE_NOW;
import static io.switchboard.codec.auth.jwt.JwtFixtures.EXAMPLE_TOKEN;
import static io.switchboard.codec.auth.jwt.JwtFixtures.KEY;
import static io.switchboard.codec.auth.jwt.JwtFixtures.SEED;
import static io.switchboard.codec.auth.jwt.JwtFixtures.SID;
import static io.switchboard.codec.auth.jwt.JwtFixtures.UID;
import static io.switchboard.codec.auth.jwt.JwtFixtures.UPGRADE_SIG;
import static io.switchboard.codec.auth.jwt.JwtFixtures.b64;
import static io.switchboard.codec.auth.jwt.JwtFixtures.claims;
import static io.switchboard.codec.auth.jwt.JwtFixtures.signEd25519;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.auth.jwt.JwtFixtures.MapJtiMemory;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** bots.md §3.2: the steps in their order, the first failure deciding; and the algorithm-confusion forgeries. */
class BotTokenVerifierTest {
  private static final long IAT = EXAMPLE_NOW.getEpochSecond();
  private static final String OTHER_SEED_HEX = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";

  private final MutableClock clock = new MutableClock(EXAMPLE_NOW);
  private final MapJtiMemory jtis = new MapJtiMemory();
  private final Map<String, BotKeys> bots = new HashMap<>(Map.of(UID, new BotKeys(SID, KEY, null)));
  private final BotTokenVerifier verifier = verifier(false);

  private BotTokenVerifier verifier(boolean allowRs512) {
    return new BotTokenVerifier(clock, BotTokenVerifier.DEFAULT_MAX_IAT_SKEW, allowRs512, bots::get, jtis);
  }

  @Test
  void verify_whenSpecExampleInsideItsLifetime_thenAcceptedAndItsJtiRemembered() {
    TokenVerdict v = verifier.verify(EXAMPLE_TOKEN, RequestSig.UPGRADE);

    assertThat(v.accepted()).as(v.toString()).isTrue();
    assertThat(v.reason()).isNull();
    assertThat(v.signatureVerified()).isTrue();
    assertThat(v.countsAgainstUid()).isFalse();
    assertThat(v.uid()).isEqualTo(UID);
    assertThat(jtis.seen).containsEntry(UID + "/" + JwtFixtures.EXAMPLE_JTI,
        EXAMPLE_NOW.toEpochMilli() + Duration.ofSeconds(600).toMillis());
  }

  @Test
  void verify_whenSameTokenAgain_thenJtiReused() {
    assertThat(verifier.verify(EXAMPLE_TOKEN, RequestSig.UPGRADE).accepted()).isTrue();

    assertRefused(verifier.verify(EXAMPLE_TOKEN, RequestSig.UPGRADE), JwtReason.JTI_REUSED, true);
  }

  @Test
  void verify_whenEachStepFailsWithAllLaterOnesAlsoFailing_thenTheEarliestReasonIsReported() throws Exception {
    jtis.firstUse(UID, "used", Long.MAX_VALUE);
    long stale = IAT - 10_000;
    // Every later check fails too: expired, skewed, wrong sig, reused jti.
    String allBadClaims = claims(stale, stale + 10, "used", "00".repeat(32));
    String sessionMismatch = allBadClaims.replace(SID, "00000000-0000-4000-8000-000000000000");
    String unknownUid = allBadClaims.replace(UID, "e8e5b807-fa8b-455a-8dfa-b189d28310ff");
    byte[] otherSeed = HexFormat.of().parseHex(OTHER_SEED_HEX);

    assertRefused(verifier.verify("not a token", RequestSig.UPGRADE), JwtReason.MALFORMED_TOKEN, false);
    assertRefused(verifier.verify(JwtFixtures.signHs256(new byte[32], "{\"alg\":\"HS256\"}", unknownUid),
        RequestSig.UPGRADE), JwtReason.ALG_NOT_ALLOWED, false);
    assertRefused(verifier.verify(signEd25519(otherSeed, EDDSA_HEADER, unknownUid), RequestSig.UPGRADE),
        JwtReason.UNKNOWN_SESSION, false);
    assertRefused(verifier.verify(signEd25519(otherSeed, EDDSA_HEADER, sessionMismatch), RequestSig.UPGRADE),
        JwtReason.UNKNOWN_SESSION, false);
    assertRefused(verifier.verify(signEd25519(otherSeed, EDDSA_HEADER, allBadClaims), RequestSig.UPGRADE),
        JwtReason.BAD_SIGNATURE, false);
    assertRefused(verifier.verify(signEd25519(SEED, EDDSA_HEADER, allBadClaims), RequestSig.UPGRADE),
        JwtReason.EXPIRED, true);
    assertRefused(verifier.verify(signEd25519(SEED, EDDSA_HEADER, claims(stale, IAT + 3600, "used", "00".repeat(32))),
        RequestSig.UPGRADE), JwtReason.IAT_SKEW, true);
    assertRefused(verifier.verify(signEd25519(SEED, EDDSA_HEADER, claims(IAT, IAT + 3600, "used", "00".repeat(32))),
        RequestSig.UPGRADE), JwtReason.SIG_MISMATCH, true);
    assertRefused(verifier.verify(signEd25519(SEED, EDDSA_HEADER, claims(IAT, IAT + 3600, "used", UPGRADE_SIG)),
        RequestSig.UPGRADE), JwtReason.JTI_REUSED, true);
    assertThat(jtis.seen).as("refused tokens use up no jti").containsOnlyKeys(UID + "/used");
  }

  @Test
  void verify_whenSessionIdDiffersOnlyInCase_thenSameSession() {
    bots.put(UID, new BotKeys(SID.toUpperCase(), KEY, null));

    assertThat(verifier.verify(EXAMPLE_TOKEN, RequestSig.UPGRADE).accepted()).isTrue();
  }

  @Test
  void verify_whenClockCrossesExpAndTheSkewBounds_thenExactlyAtTheLimits() {
    String token = JwtFixtures.upgradeToken(EXAMPLE_NOW, "j");
    Instant iat = EXAMPLE_NOW;

    clock.set(iat.plusSeconds(300));
    assertThat(verifyFresh(token).accepted()).as("now − iat = 300 s").isTrue();
    clock.set(iat.plusSeconds(300).plusMillis(1));
    assertThat(verifyFresh(token).reason()).isEqualTo(JwtReason.IAT_SKEW);
    clock.set(iat.minusSeconds(300));
    assertThat(verifyFresh(token).accepted()).as("iat − now = 300 s").isTrue();
    clock.set(iat.minusSeconds(300).minusMillis(1));
    assertThat(verifyFresh(token).reason()).isEqualTo(JwtReason.IAT_SKEW);

    String shortLived = signEd25519(SEED, EDDSA_HEADER, claims(IAT, IAT + 10, "k", UPGRADE_SIG));
    clock.set(iat.plusSeconds(10).minusMillis(1));
    assertThat(verifyFresh(shortLived).accepted()).isTrue();
    clock.set(iat.plusSeconds(10));
    assertThat(verifyFresh(shortLived).reason()).as("exp must be later than now").isEqualTo(JwtReason.EXPIRED);
  }

  @Test
  void verify_whenRestCallSignsItsRequest_thenOnlyThatRequestMatches() {
    String body = "[{\"message_id\":\"928c5c40-769c-3e97-8387-fb1ae0645311\",\"status\":\"READ\"}]";
    RequestSig ack = JwtRequestSigTest.sigOf("POST", "/acknowledgements", body);
    String token = signEd25519(SEED, EDDSA_HEADER, claims(IAT, IAT + 3600, "r", ack.hex()));

    assertThat(verifyFresh(token, ack).accepted()).isTrue();
    assertThat(verifyFresh(token, RequestSig.UPGRADE).reason()).isEqualTo(JwtReason.SIG_MISMATCH);
    assertThat(verifyFresh(token, JwtRequestSigTest.sigOf("POST", "/acknowledgements", body + " ")).reason())
        .isEqualTo(JwtReason.SIG_MISMATCH);
    String upper = signEd25519(SEED, EDDSA_HEADER, claims(IAT, IAT + 3600, "r", ack.hex().toUpperCase()));
    assertThat(verifyFresh(upper, ack).reason()).as("sig is lower-case hex").isEqualTo(JwtReason.SIG_MISMATCH);
  }

  @Test
  void verify_whenPayloadOrHeaderTampered_thenBadSignature() {
    String[] parts = EXAMPLE_TOKEN.split("\\.");
    String later = b64(claims(IAT, IAT + 90 * 86_400, JwtFixtures.EXAMPLE_JTI, UPGRADE_SIG));
    String typ = b64("{\"alg\":\"EdDSA\",\"typ\":\"JWS\"}");
    byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
    sig[10] ^= 1;

    assertRefused(verifier.verify(parts[0] + "." + later + "." + parts[2], RequestSig.UPGRADE),
        JwtReason.BAD_SIGNATURE, false);
    assertRefused(verifier.verify(typ + "." + parts[1] + "." + parts[2], RequestSig.UPGRADE),
        JwtReason.BAD_SIGNATURE, false);
    assertRefused(verifier.verify(parts[0] + "." + parts[1] + "." + b64(sig), RequestSig.UPGRADE),
        JwtReason.BAD_SIGNATURE, false);
    assertRefused(verifier.verify(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 84), RequestSig.UPGRADE),
        JwtReason.BAD_SIGNATURE, false);
    assertThat(jtis.seen).isEmpty();
  }

  @Test
  void verify_whenAlgNoneOrAnyOtherUnknownAlg_thenAlgNotAllowed() {
    String claims = claims(IAT, IAT + 3600, "n", UPGRADE_SIG);
    for (String alg : new String[] {"none", "None", "NONE", "eddsa", "Ed25519", "ES256", "PS512", "RS256", ""}) {
      assertRefused(verifier.verify(JwtFixtures.unsigned("{\"alg\":\"" + alg + "\"}", claims), RequestSig.UPGRADE),
          JwtReason.ALG_NOT_ALLOWED, false);
      assertRefused(verifier.verify(signEd25519(SEED, "{\"alg\":\"" + alg + "\"}", claims), RequestSig.UPGRADE),
          JwtReason.ALG_NOT_ALLOWED, false);
    }
  }

  @Test
  void verify_whenHs256KeyedWithThePublicKeyBytesOrText_thenAlgNotAllowed() throws Exception {
    String claims = claims(IAT, IAT + 3600, "h", UPGRADE_SIG);
    byte[][] secrets = {JwtFixtures.PUBLIC, JwtFixtures.PUBLIC_HEX.getBytes(), b64(JwtFixtures.PUBLIC).getBytes()};
    for (byte[] secret : secrets) {
      for (String alg : new String[] {"HS256", "HS384", "HS512"}) {
        String forged = JwtFixtures.signHs256(secret, "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}", claims);
        assertRefused(verifier(true).verify(forged, RequestSig.UPGRADE), JwtReason.ALG_NOT_ALLOWED, false);
      }
    }
  }

  @Test
  void verify_whenHeaderEmbedsItsOwnKey_thenAlgNotAllowedEvenIfSignedByTheRealKey() {
    String attackerX = b64(ed25519Public(HexFormat.of().parseHex(OTHER_SEED_HEX)));
    String claims = claims(IAT, IAT + 3600, "k", UPGRADE_SIG);
    String[] headers = {
        "{\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + attackerX + "\"}}",
        "{\"alg\":\"EdDSA\",\"jku\":\"https://attacker.example/jwks.json\"}",
        "{\"alg\":\"EdDSA\",\"x5u\":\"https://attacker.example/cert.pem\"}",
        "{\"alg\":\"EdDSA\",\"x5c\":[\"MIIBszCCAVmgAwIBAgIU\"]}"};
    for (String header : headers) {
      byte[] attacker = HexFormat.of().parseHex(OTHER_SEED_HEX);
      assertRefused(verifier.verify(signEd25519(attacker, header, claims), RequestSig.UPGRADE),
          JwtReason.ALG_NOT_ALLOWED, false);
      assertRefused(verifier.verify(signEd25519(SEED, header, claims), RequestSig.UPGRADE),
          JwtReason.ALG_NOT_ALLOWED, false);
    }
  }

  @Test
  void verify_whenKidPointsAnywhere_thenIgnoredAndTheRegisteredKeyDecides() {
    String claims = claims(IAT, IAT + 3600, "kid", UPGRADE_SIG);
    String header = "{\"alg\":\"EdDSA\",\"kid\":\"../../dev/null\"}";

    assertThat(verifier.verify(signEd25519(SEED, header, claims), RequestSig.UPGRADE).accepted()).isTrue();
    assertRefused(verifier.verify(signEd25519(HexFormat.of().parseHex(OTHER_SEED_HEX), header, claims),
        RequestSig.UPGRADE), JwtReason.BAD_SIGNATURE, false);
  }

  @Test
  void verify_whenRs512_thenOnlyWithTheSwitchOnAndARegisteredRsaKey() throws Exception {
    String claims = claims(IAT, IAT + 3600, "rs", UPGRADE_SIG);
    String token = JwtFixtures.signRs512(JwtFixtures.rsa(), "{\"alg\":\"RS512\",\"typ\":\"JWT\"}", claims);

    assertRefused(verifier(false).verify(token, RequestSig.UPGRADE), JwtReason.ALG_NOT_ALLOWED, false);
    assertRefused(verifier(true).verify(token, RequestSig.UPGRADE), JwtReason.ALG_NOT_ALLOWED, false); // no RSA key
    bots.put(UID, new BotKeys(SID, KEY, JwtFixtures.rsaPublic()));
    assertRefused(verifier(false).verify(token, RequestSig.UPGRADE), JwtReason.ALG_NOT_ALLOWED, false);

    assertThat(verifier(true).verify(token, RequestSig.UPGRADE).accepted()).isTrue();
    assertThat(verifier(true).verify(EXAMPLE_TOKEN, RequestSig.UPGRADE).accepted()).as("EdDSA still").isTrue();
    String edSignedAsRs = signEd25519(SEED, "{\"alg\":\"RS512\"}", claims(IAT, IAT + 3600, "x", UPGRADE_SIG));
    assertRefused(verifier(true).verify(edSignedAsRs, RequestSig.UPGRADE), JwtReason.BAD_SIGNATURE, false);
    String rsSignedAsEd = JwtFixtures.signRs512(JwtFixtures.rsa(), EDDSA_HEADER, claims(IAT, IAT + 3600, "y",
        UPGRADE_SIG));
    assertRefused(verifier(true).verify(rsSignedAsEd, RequestSig.UPGRADE), JwtReason.BAD_SIGNATURE, false);
  }

  @Test
  void verify_whenRs512ForAnUnregisteredUid_thenUnknownSession() throws Exception {
    String claims = claims(IAT, IAT + 3600, "rs", UPGRADE_SIG).replace(UID, "e8e5b807-fa8b-455a-8dfa-b189d28310ff");
    String token = JwtFixtures.signRs512(JwtFixtures.rsa(), "{\"alg\":\"RS512\"}", claims);

    assertRefused(verifier(true).verify(token, RequestSig.UPGRADE), JwtReason.UNKNOWN_SESSION, false);
  }

  @Test
  void reasons_whenListed_thenInSpecOrderWithSpecNames() {
    assertThat(JwtReason.values()).extracting(JwtReason::metric).containsExactly("malformed_token",
        "alg_not_allowed", "unknown_session", "bad_signature", "expired", "iat_skew", "sig_mismatch", "jti_reused");
  }

  private TokenVerdict verifyFresh(String token) {
    return verifyFresh(token, RequestSig.UPGRADE);
  }

  /** Verifies with an empty jti memory, to look at one rule at a time. */
  private TokenVerdict verifyFresh(String token, RequestSig request) {
    jtis.seen.clear();
    return verifier.verify(token, request);
  }

  private static void assertRefused(TokenVerdict v, JwtReason reason, boolean signatureVerified) {
    assertThat(v.accepted()).as(v.toString()).isFalse();
    assertThat(v.reason()).as(v.toString()).isEqualTo(reason);
    assertThat(v.signatureVerified()).as("signature verified: " + v).isEqualTo(signatureVerified);
    assertThat(v.countsAgainstUid()).isEqualTo(signatureVerified);
  }

  private static byte[] ed25519Public(byte[] seed) {
    byte[] pk = new byte[32];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }
}
