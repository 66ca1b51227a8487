package io.switchboard.codec.auth.jwt;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs the verification steps of bots.md §3.2 in their order and returns the first failure as a value:
 * {@code malformed_token} (parsing, {@link BotTokenParser}), {@code alg_not_allowed}, {@code unknown_session},
 * {@code bad_signature}, then {@code expired}, {@code iat_skew}, {@code sig_mismatch} and {@code jti_reused}.
 * Thread-safe; one instance per dialect. Time comes only from the {@link Clock} given, so tests move it.
 *
 * <p>Step 2 lets the header <em>select</em> an algorithm among the bot's registered keys, never <em>supply</em> one:
 * {@code none}, every {@code HS*} and any other name are refused, as is a header carrying {@code jwk}, {@code jku},
 * {@code x5u}, {@code x5c} or {@code x5t}; {@code RS512} only when {@code allowRs512} is on and the bot has an RSA
 * key (for an unregistered uid, step 3 then speaks). {@code kid} is ignored: keys are found by {@code uid} alone.
 *
 * <p>The jti memory is asked last, so only a token that passed everything else records its jti, which is kept for
 * {@code 2 × maxIatSkew} (see {@link JtiMemory}).
 */
public final class BotTokenVerifier {
  /** {@code bots.auth.maxIatSkew}'s default. */
  public static final Duration DEFAULT_MAX_IAT_SKEW = Duration.ofSeconds(300);

  private final Clock clock;
  private final long maxIatSkewMillis;
  private final boolean allowRs512;
  private final BotKeyLookup bots;
  private final JtiMemory jtis;

  /**
   * @param clock the time every rule reads
   * @param maxIatSkew {@code bots.auth.maxIatSkew}, positive
   * @param allowRs512 {@code bots.auth.allowRs512}
   * @param bots the registered bots' keys
   * @param jtis the jti memory
   */
  public BotTokenVerifier(Clock clock, Duration maxIatSkew, boolean allowRs512, BotKeyLookup bots, JtiMemory jtis) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxIatSkew.isNegative() || maxIatSkew.isZero()) {
      throw new IllegalArgumentException("maxIatSkew must be positive");
    }
    this.maxIatSkewMillis = maxIatSkew.toMillis();
    this.allowRs512 = allowRs512;
    this.bots = Objects.requireNonNull(bots, "bots");
    this.jtis = Objects.requireNonNull(jtis, "jtis");
  }

  /** Parses and verifies {@code compact} (the text after {@code Bearer }) for {@code request}. */
  public TokenVerdict verify(CharSequence compact, RequestSig request) {
    BotToken token;
    try {
      token = BotTokenParser.parse(compact);
    } catch (MalformedTokenException e) {
      return TokenVerdict.malformed();
    }
    return verify(token, request);
  }

  /**
   * Verifies a parsed token for {@code request}: {@link RequestSig#UPGRADE} on the WebSocket upgrade, or
   * {@link RequestSig#of} the REST call's method, URI and body.
   */
  public TokenVerdict verify(BotToken token, RequestSig request) {
    JwtAlgorithm algorithm = token.algorithm();
    if (algorithm == null || token.headerBringsKey() || (algorithm == JwtAlgorithm.RS512 && !allowRs512)) {
      return TokenVerdict.refused(JwtReason.ALG_NOT_ALLOWED, false, token);
    }
    BotKeys keys = bots.keysOf(token.uid());
    if (keys != null && algorithm == JwtAlgorithm.RS512 && keys.rsa() == null) {
      return TokenVerdict.refused(JwtReason.ALG_NOT_ALLOWED, false, token);
    }
    if (keys == null || !keys.sessionId().equalsIgnoreCase(token.sid())) {
      return TokenVerdict.refused(JwtReason.UNKNOWN_SESSION, false, token);
    }
    boolean verified = algorithm == JwtAlgorithm.EDDSA
        ? keys.ed25519().verify(token.signingInput(), token.signature())
        : keys.rsa().verify(token.signingInput(), token.signature());
    if (!verified) {
      return TokenVerdict.refused(JwtReason.BAD_SIGNATURE, false, token);
    }
    long nowMillis = clock.millis();
    if (token.exp() <= Math.floorDiv(nowMillis, 1000)) {
      return TokenVerdict.refused(JwtReason.EXPIRED, true, token);
    }
    if (Math.abs(nowMillis - millis(token.iat())) > maxIatSkewMillis) {
      return TokenVerdict.refused(JwtReason.IAT_SKEW, true, token);
    }
    if (!request.matches(token.sig())) {
      return TokenVerdict.refused(JwtReason.SIG_MISMATCH, true, token);
    }
    if (!jtis.firstUse(token.uid(), token.jti(), nowMillis + 2 * maxIatSkewMillis)) {
      return TokenVerdict.refused(JwtReason.JTI_REUSED, true, token);
    }
    return TokenVerdict.accepted(token);
  }

  /** Epoch seconds to milliseconds, clamped so absurd claims cannot overflow the skew arithmetic. */
  private static long millis(long seconds) {
    long bound = 1L << 40; // ~34,000 years in seconds; still far from overflow once multiplied
    return Math.max(-bound, Math.min(bound, seconds)) * 1000;
  }
}
