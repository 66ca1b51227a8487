package io.switchboard.codec.auth.jwt;

/**
 * The JWS algorithms a bot may sign with (bots.md §3.2 step 2). Anything else, {@code none} and every {@code HS*}
 * among them, has no constant: an HMAC "keyed" with a public key is the classic algorithm-confusion forgery.
 */
public enum JwtAlgorithm {
  /** Ed25519 (RFC 8037), every current client. */
  EDDSA("EdDSA"),
  /** RSASSA-PKCS1-v1_5 with SHA-512: the Go client before December 2023; only when enabled and registered. */
  RS512("RS512");

  private final String headerName;

  JwtAlgorithm(String headerName) {
    this.headerName = headerName;
  }

  /** The {@code alg} header value, case-sensitive as RFC 7515 requires. */
  public String headerName() {
    return headerName;
  }

  /** The algorithm a header names, or {@code null} when it is not one a bot may use. */
  public static JwtAlgorithm forHeader(String alg) {
    if (EDDSA.headerName.equals(alg)) {
      return EDDSA;
    }
    if (RS512.headerName.equals(alg)) {
      return RS512;
    }
    return null;
  }
}
