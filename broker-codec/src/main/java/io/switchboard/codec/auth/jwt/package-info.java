/**
 * The bots' JWT authentication (bots.md §3): parsing a compact JWS ({@link BotTokenParser}), the verification steps
 * in the contract's order ({@link BotTokenVerifier}), the request digest a token is bound to ({@link RequestSig})
 * and the keys a bot registers ({@link BotKeys}). Knows no broker state: the caller supplies the bots' keys
 * ({@link BotKeyLookup}), the jti memory ({@link JtiMemory}) and the clock.
 */
package io.switchboard.codec.auth.jwt;
