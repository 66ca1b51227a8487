package io.switchboard.codec.auth.jwt;

import java.util.Objects;

/**
 * What a registered bot verifies with (bots.md §1): its session id and its session keys, built once at registration
 * and kept in the identities snapshot. The token's header can only select among these, never add one.
 *
 * @param sessionId the bot's {@code sessionId}; the token's {@code sid} must equal it (UUIDs: case ignored)
 * @param ed25519 the session public key
 * @param rsa the optional RSA public key, or {@code null}; used only when RS512 is enabled
 */
public record BotKeys(String sessionId, Ed25519PublicKey ed25519, Rs512PublicKey rsa) {
  public BotKeys {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(ed25519, "ed25519");
  }
}
