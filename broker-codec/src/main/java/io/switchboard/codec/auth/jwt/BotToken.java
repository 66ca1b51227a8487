package io.switchboard.codec.auth.jwt;

/**
 * A bot's JWT after parsing, before any check that needs keys or time (bots.md §3.1): the header's algorithm and the
 * claims, plus the exact bytes the signature covers. Made only by {@link BotTokenParser}, so the required claims are
 * present and typed. {@link #uid()} is readable before verification because the per-uid login throttle is consulted
 * first (§3.3); it is a claim, not yet a fact.
 */
public final class BotToken {
  private final String alg;
  private final JwtAlgorithm algorithm;
  private final boolean headerBringsKey;
  private final String uid;
  private final String sid;
  private final long iat;
  private final long exp;
  private final String jti;
  private final String sig;
  private final String scp;
  private final byte[] signingInput;
  private final byte[] signature;

  BotToken(String alg, boolean headerBringsKey, String uid, String sid, long iat, long exp, String jti, String sig,
      String scp, byte[] signingInput, byte[] signature) {
    this.alg = alg;
    this.algorithm = JwtAlgorithm.forHeader(alg);
    this.headerBringsKey = headerBringsKey;
    this.uid = uid;
    this.sid = sid;
    this.iat = iat;
    this.exp = exp;
    this.jti = jti;
    this.sig = sig;
    this.scp = scp;
    this.signingInput = signingInput;
    this.signature = signature;
  }

  /** The {@code alg} header as sent. */
  public String alg() {
    return alg;
  }

  /** The algorithm {@link #alg()} names, or {@code null} when a bot may not use it. */
  public JwtAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Whether the header carries key material or a key location ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c},
   * {@code x5t}, {@code x5t#S256}). Such a token is refused: only the bot's registered keys ever verify. {@code kid}
   * is not counted: it only names a key, is ignored, and clients may send it.
   */
  public boolean headerBringsKey() {
    return headerBringsKey;
  }

  public String uid() {
    return uid;
  }

  public String sid() {
    return sid;
  }

  /** Issued at, epoch seconds. */
  public long iat() {
    return iat;
  }

  /** Expiry, epoch seconds. */
  public long exp() {
    return exp;
  }

  public String jti() {
    return jti;
  }

  /** The request digest claim: lower-case hex SHA-256 of METHOD + URI + BODY (see {@link RequestSig}). */
  public String sig() {
    return sig;
  }

  /** The scope claim, {@code FULL} or {@code null} when absent (the parser refuses any other value). */
  public String scp() {
    return scp;
  }

  /** The ASCII bytes of {@code header.payload}, what the signature covers. Shared: do not modify. */
  byte[] signingInput() {
    return signingInput;
  }

  /** The decoded signature part (possibly empty). Shared: do not modify. */
  byte[] signature() {
    return signature;
  }

  /** Names the claims that identify the token; never the signature (the token is a bearer credential). */
  @Override
  public String toString() {
    return "BotToken{alg=" + alg + ", uid=" + uid + ", sid=" + sid + ", iat=" + iat + ", exp=" + exp + "}";
  }
}
