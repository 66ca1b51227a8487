package io.switchboard.codec.auth.jwt;

/**
 * Why a bot's token was refused, in the order of bots.md §3.2: the first failing step decides, and its
 * {@link #metric()} is the {@code reason} label of {@code switchboard_rejected_total{dialect="bots"}}.
 *
 * <p>A present {@code scp} other than {@code FULL} is {@link #MALFORMED_TOKEN}: §3.2 has no reason of its own for
 * it, and a narrower scope marks a token that is not a bot session token, the same family as the OAuth-style tokens
 * step 1 already refuses. It is decided before the signature, so it never counts against the uid's throttle.
 */
public enum JwtReason {
  /** Step 1: not a three-part base64url JWS of at most 4 KiB, bad JSON, missing claims, OAuth-style, scp not FULL. */
  MALFORMED_TOKEN("malformed_token"),
  /** Step 2: not EdDSA (or RS512 enabled with an RSA key), or the header brings key material of its own. */
  ALG_NOT_ALLOWED("alg_not_allowed"),
  /** Step 3: {@code uid} not registered, or {@code sid} is not its session. */
  UNKNOWN_SESSION("unknown_session"),
  /** Step 4: the signature does not verify against the session's key. */
  BAD_SIGNATURE("bad_signature"),
  /** Step 5: {@code exp} is not later than now. */
  EXPIRED("expired"),
  /** Step 5: {@code iat} further than {@code maxIatSkew} from now. */
  IAT_SKEW("iat_skew"),
  /** Step 5: {@code sig} is not the digest of this request's method, URI and body. */
  SIG_MISMATCH("sig_mismatch"),
  /** Step 5: the {@code jti} was already used by this uid within {@code 2 × maxIatSkew}. */
  JTI_REUSED("jti_reused");

  private final String metric;

  JwtReason(String metric) {
    this.metric = metric;
  }

  /** The metric label, as spelled in bots.md §3.2. */
  public String metric() {
    return metric;
  }
}
