package io.switchboard.codec.auth.jwt;

/**
 * The outcome of verifying a bot's token: accepted, or the first failing {@link JwtReason}. A value, not an
 * exception, so the caller counts it, logs it and charges the throttles without a catch.
 *
 * <p>{@link #signatureVerified()} matters for the per-uid throttle (bots.md §3.3): only failures after a verified
 * signature (expired, iat_skew, sig_mismatch, jti_reused) are the real bot's own, so only they count against its uid;
 * a third party cannot produce them and so cannot lock a bot out.
 */
public final class TokenVerdict {
  private final JwtReason reason;
  private final boolean signatureVerified;
  private final BotToken token;

  private TokenVerdict(JwtReason reason, boolean signatureVerified, BotToken token) {
    this.reason = reason;
    this.signatureVerified = signatureVerified;
    this.token = token;
  }

  static TokenVerdict accepted(BotToken token) {
    return new TokenVerdict(null, true, token);
  }

  static TokenVerdict refused(JwtReason reason, boolean signatureVerified, BotToken token) {
    return new TokenVerdict(reason, signatureVerified, token);
  }

  static TokenVerdict malformed() {
    return new TokenVerdict(JwtReason.MALFORMED_TOKEN, false, null);
  }

  /** Whether every step passed; the token's uid is then authenticated. */
  public boolean accepted() {
    return reason == null;
  }

  /** The first failing step, or {@code null} when {@link #accepted()}. */
  public JwtReason reason() {
    return reason;
  }

  /** Whether the JWS signature verified against the bot's registered key (true when accepted). */
  public boolean signatureVerified() {
    return signatureVerified;
  }

  /** Whether this refusal counts against the token's uid in the per-uid throttle (§3.3). */
  public boolean countsAgainstUid() {
    return reason != null && signatureVerified;
  }

  /** The parsed token, or {@code null} when it was malformed. */
  public BotToken token() {
    return token;
  }

  /** The token's uid (authenticated only when {@link #accepted()}), or {@code null} when it was malformed. */
  public String uid() {
    return token == null ? null : token.uid();
  }

  @Override
  public String toString() {
    return reason == null ? "TokenVerdict{accepted, uid=" + uid() + "}"
        : "TokenVerdict{" + reason.metric() + ", signatureVerified=" + signatureVerified + ", uid=" + uid() + "}";
  }
}
