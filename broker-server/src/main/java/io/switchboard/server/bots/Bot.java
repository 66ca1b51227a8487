package io.switchboard.server.bots;

import io.switchboard.codec.auth.jwt.BotKeys;
import io.switchboard.codec.auth.jwt.Ed25519PublicKey;
import io.switchboard.codec.auth.jwt.Rs512PublicKey;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A registered bot (bots.md §1): its uid, its session and the session's public keys, decoded once here so token
 * verification never parses a key. Validates itself.
 */
public record Bot(String uid, String sessionId, Ed25519PublicKey sessionPublicKey, String sessionPublicKeyText,
    Rs512PublicKey rsaPublicKey, String rsaPublicKeyPem) {
  static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public Bot {
    if (uid == null || !UUID.matcher(uid).matches()) {
      throw new IllegalArgumentException("uid: expected a UUID");
    }
    if (sessionId == null || !UUID.matcher(sessionId).matches()) {
      throw new IllegalArgumentException("sessionId: expected a UUID");
    }
    uid = uid.toLowerCase(Locale.ROOT);
    sessionId = sessionId.toLowerCase(Locale.ROOT);
    if (sessionPublicKey == null) {
      throw new IllegalArgumentException("sessionPublicKey: required");
    }
  }

  /** Parses the admin/config form; key texts are kept as given so they can be shown back. */
  static Bot of(String uid, String sessionId, String sessionPublicKey, String rsaPublicKeyPem) {
    Ed25519PublicKey ed;
    try {
      ed = sessionPublicKey == null ? null : Ed25519PublicKey.parse(sessionPublicKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sessionPublicKey: " + e.getMessage());
    }
    Rs512PublicKey rsa;
    try {
      rsa = rsaPublicKeyPem == null ? null : Rs512PublicKey.parsePem(rsaPublicKeyPem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rsaPublicKey: " + e.getMessage());
    }
    return new Bot(uid, sessionId, ed, sessionPublicKey, rsa, rsaPublicKeyPem);
  }

  BotKeys keys() {
    return new BotKeys(sessionId, sessionPublicKey, rsaPublicKey);
  }
}
