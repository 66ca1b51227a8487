package io.switchboard.codec.auth.jwt;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Bot A of bots.md §1 and §3.1, and a signer that makes tokens with its RFC 8032 test-1 seed. */
final class JwtFixtures {
  private JwtFixtures() {}

  static final String UID = "06aed1e3-bd77-4a59-991a-5bb5ae6fbb09";
  static final String SID = "a34c07a9-755d-4b54-94c5-e45e9a2dd43e";
  static final String SEED_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  static final String PUBLIC_HEX = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  static final String UPGRADE_SIG = "f837ebeb4c2981ad9c64b70d0b0d18724c76c60781b9e4bf7a582510df7ada39";

  /** bots.md §3.1, verbatim. */
  static final String EXAMPLE_TOKEN = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJ1aWQiOiIwNmFlZDFlMy1iZDc3LTRhNTktOTkx"
      + "YS01YmI1YWU2ZmJiMDkiLCJzaWQiOiJhMzRjMDdhOS03NTVkLTRiNTQtOTRjNS1lNDVlOWEyZGQ0M2UiLCJpYXQiOjE3OTU0OTM4NzcsImV4"
      + "cCI6MTc5NTQ5NzQ3NywianRpIjoiNmYxZDdhMmMtMGI4ZS00YzNmLTlhNTEtMmU0ZDhiN2M2YTkwIiwic2lnIjoiZjgzN2ViZWI0YzI5ODFh"
      + "ZDljNjRiNzBkMGIwZDE4NzI0Yzc2YzYwNzgxYjllNGJmN2E1ODI1MTBkZjdhZGEzOSIsInNjcCI6IkZVTEwifQ.AKQ2eG44Q5m9W93z_gM9P8m"
      + "9erb5yPdeXngUfw26jb2U_7ROPevuLPDaxeeZtgp82l1lWhGg6W72reJut7FZDA";
  static final long EXAMPLE_IAT = 1795493877L;
  static final long EXAMPLE_EXP = 1795497477L;
  static final String EXAMPLE_JTI = "6f1d7a2c-0b8e-4c3f-9a51-2e4d8b7c6a90";
  /** A minute after the example's iat: inside both its iat skew and its lifetime. */
  static final Instant EXAMPLE_NOW = Instant.ofEpochSecond(EXAMPLE_IAT + 60);

  static final String EDDSA_HEADER = "{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}";

  static final byte[] SEED = HexFormat.of().parseHex(SEED_HEX);
  static final byte[] PUBLIC = HexFormat.of().parseHex(PUBLIC_HEX);
  static final Ed25519PublicKey KEY = Ed25519PublicKey.of(PUBLIC);

  /** Claims like the example's, at {@code iat}, with the given jti and sig. */
  static String claims(long iat, long exp, String jti, String sig) {
    return "{\"uid\":\"" + UID + "\",\"sid\":\"" + SID + "\",\"iat\":" + iat + ",\"exp\":" + exp + ",\"jti\":\"" + jti
        + "\",\"sig\":\"" + sig + "\",\"scp\":\"FULL\"}";
  }

  /** An EdDSA token for the upgrade, issued at {@code now}, living an hour (the Node client's lifetime). */
  static String upgradeToken(Instant now, String jti) {
    long iat = now.getEpochSecond();
    return signEd25519(SEED, EDDSA_HEADER, claims(iat, iat + 3600, jti, UPGRADE_SIG));
  }

  static String signEd25519(byte[] seed, String headerJson, String claimsJson) {
    String input = b64(headerJson) + "." + b64(claimsJson);
    byte[] m = input.getBytes(StandardCharsets.US_ASCII);
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, m, 0, m.length, sig, 0);
    return input + "." + b64(sig);
  }

  static String signHs256(byte[] secret, String headerJson, String claimsJson) throws Exception {
    String input = b64(headerJson) + "." + b64(claimsJson);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static String signRs512(KeyPair keys, String headerJson, String claimsJson) throws Exception {
    String input = b64(headerJson) + "." + b64(claimsJson);
    Signature s = Signature.getInstance("SHA512withRSA");
    s.initSign(keys.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(s.sign());
  }

  static String unsigned(String headerJson, String claimsJson) {
    return b64(headerJson) + "." + b64(claimsJson) + ".";
  }

  static String b64(String json) {
    return b64(json.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** One RSA pair for the whole run: generating keys is the slow part of RSA. */
  static synchronized KeyPair rsa() throws Exception {
    if (rsa == null) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      rsa = g.generateKeyPair();
    }
    return rsa;
  }

  private static KeyPair rsa;

  static Rs512PublicKey rsaPublic() throws Exception {
    return Rs512PublicKey.of((RSAPublicKey) rsa().getPublic());
  }

  /** A jti memory in a map, recording what it was asked. */
  static final class MapJtiMemory implements JtiMemory {
    final Map<String, Long> seen = new ConcurrentHashMap<>();

    @Override
    public boolean firstUse(String uid, String jti, long expiresAtMillis) {
      return seen.putIfAbsent(uid + "/" + jti, expiresAtMillis) == null;
    }
  }
}
