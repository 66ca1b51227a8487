package io.switchboard.bench;

import io.switchboard.codec.auth.jwt.BotKeys;
import io.switchboard.codec.auth.jwt.BotToken;
import io.switchboard.codec.auth.jwt.BotTokenParser;
import io.switchboard.codec.auth.jwt.BotTokenVerifier;
import io.switchboard.codec.auth.jwt.Ed25519PublicKey;
import io.switchboard.codec.auth.jwt.MalformedTokenException;
import io.switchboard.codec.auth.jwt.RequestSig;
import io.switchboard.codec.auth.jwt.TokenVerdict;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bots' authentication cost per upgrade or REST call (bots.md §3.2) on the §3.1 example token: parsing alone,
 * Ed25519 alone with the JDK's provider (X.509 key from the raw 32 bytes) and with BouncyCastle (raw key, and the
 * codec's pre-decoded point), and parse + verify end to end, JCA against the codec's BouncyCastle path. The jti
 * memory answers "first use" without state, so the figures are the codec's own.
 * Run: {@code java -jar broker-bench/target/benchmarks.jar Jwt -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JwtBenchmark {
  static final String TOKEN = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJ1aWQiOiIwNmFlZDFlMy1iZDc3LTRhNTktOTkxYS01Ym"
      + "I1YWU2ZmJiMDkiLCJzaWQiOiJhMzRjMDdhOS03NTVkLTRiNTQtOTRjNS1lNDVlOWEyZGQ0M2UiLCJpYXQiOjE3OTU0OTM4NzcsImV4cCI6M"
      + "Tc5NTQ5NzQ3NywianRpIjoiNmYxZDdhMmMtMGI4ZS00YzNmLTlhNTEtMmU0ZDhiN2M2YTkwIiwic2lnIjoiZjgzN2ViZWI0YzI5ODFhZDljN"
      + "jRiNzBkMGIwZDE4NzI0Yzc2YzYwNzgxYjllNGJmN2E1ODI1MTBkZjdhZGEzOSIsInNjcCI6IkZVTEwifQ.AKQ2eG44Q5m9W93z_gM9P8m9er"
      + "b5yPdeXngUfw26jb2U_7ROPevuLPDaxeeZtgp82l1lWhGg6W72reJut7FZDA";
  static final String UID = "06aed1e3-bd77-4a59-991a-5bb5ae6fbb09";
  static final String SID = "a34c07a9-755d-4b54-94c5-e45e9a2dd43e";
  static final String PUBLIC_HEX = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  /** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410), before the raw 32 bytes. */
  static final String SPKI_PREFIX = "302a300506032b6570032100";

  private byte[] rawKey;
  private Ed25519PublicKey codecKey;
  private PublicKey jcaKey;
  private Signature jca;
  private byte[] signingInput;
  private byte[] signature;
  private BotTokenVerifier verifier;

  @Setup
  public void setUp() throws Exception {
    rawKey = HexFormat.of().parseHex(PUBLIC_HEX);
    codecKey = Ed25519PublicKey.of(rawKey);
    jcaKey = KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(HexFormat.of().parseHex(SPKI_PREFIX + PUBLIC_HEX)));
    jca = Signature.getInstance("Ed25519");
    int dot = TOKEN.lastIndexOf('.');
    signingInput = TOKEN.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
    signature = Base64.getUrlDecoder().decode(TOKEN.substring(dot + 1));
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1795493877L + 60), ZoneOffset.UTC);
    BotKeys keys = new BotKeys(SID, codecKey, null);
    verifier = new BotTokenVerifier(clock, BotTokenVerifier.DEFAULT_MAX_IAT_SKEW, false,
        uid -> UID.equals(uid) ? keys : null, (uid, jti, expiresAt) -> true);
    if (!verifier.verify(TOKEN, RequestSig.UPGRADE).accepted() || !jcaVerify() || !bcRawKey()) {
      throw new IllegalStateException("the example token must verify");
    }
  }

  @Benchmark
  public BotToken parse() throws MalformedTokenException {
    return BotTokenParser.parse(TOKEN);
  }

  @Benchmark
  public boolean jcaVerify() throws Exception {
    jca.initVerify(jcaKey);
    jca.update(signingInput);
    return jca.verify(signature);
  }

  @Benchmark
  public boolean bcRawKey() {
    return Ed25519.verify(signature, 0, rawKey, 0, signingInput, 0, signingInput.length);
  }

  @Benchmark
  public boolean bcDecodedPoint() {
    return codecKey.verify(signingInput, signature);
  }

  /** What the codec would cost on the JDK's Ed25519: parse, then verify the token's own bytes. */
  @Benchmark
  public boolean parseAndVerifyJca() throws Exception {
    BotToken token = BotTokenParser.parse(TOKEN);
    int dot = TOKEN.lastIndexOf('.');
    jca.initVerify(jcaKey);
    jca.update(TOKEN.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
    return jca.verify(Base64.getUrlDecoder().decode(TOKEN.substring(dot + 1))) && token.exp() > 0;
  }

  /** The codec's path: parse and every §3.2 step (BouncyCastle Ed25519, sig against the upgrade constant). */
  @Benchmark
  public TokenVerdict parseAndVerifyCodec() {
    return verifier.verify(TOKEN, RequestSig.UPGRADE);
  }
}
