package io.switchboard.codec.auth.jwt;

/**
 * Remembers the {@code jti}s a bot has used (bots.md §3.1: a jti must not be seen again for the same uid
 * within {@code 2 × maxIatSkew}). The codec only asks; the memory lives with the broker state (the store, so all
 * nodes share it). The verifier asks last, only for tokens that passed every other check, so refused tokens never
 * use up a jti.
 *
 * <p>Why {@code 2 × maxIatSkew} is enough: a token is accepted only while {@code |now − iat| ≤ maxIatSkew}, so past
 * {@code now + 2 × maxIatSkew} any replay of it fails {@code iat_skew} whatever its iat was.
 */
@FunctionalInterface
public interface JtiMemory {
  /**
   * Records ({@code uid}, {@code jti}) until {@code expiresAtMillis} (epoch milliseconds) and says whether it is
   * new. Must be atomic: of two concurrent uses exactly one is first.
   *
   * @return true when the pair was not remembered (now it is); false when it was (a replay)
   */
  boolean firstUse(String uid, String jti, long expiresAtMillis);
}
