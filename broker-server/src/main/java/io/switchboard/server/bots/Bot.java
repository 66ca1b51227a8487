package io.switchboard.server.bots;

import io.switchboard.codec.auth.jwt.BotKeys;
import io.switchboard.codec.auth.jwt.Ed25519PublicKey;
import io.switchboard.codec.auth.jwt.Rs512PublicKey;
import java.util.Locale;

/**
 * A registered bot (bots.md §1): its uid, its session and the session's public keys, decoded once here so token
 * verification never parses a key. Validates itself.
 */
public record Bot(String uid, String sessionId, Ed25519PublicKey sessionPublicKey, String sessionPublicKeyText,
    Rs512PublicKey rsaPublicKey, String rsaPublicKeyPem) {
  /**
   * Whether {@code s} is a UUID in its 36-char hex-and-hyphen form, either case (8-4-4-4-12). Checked by hand: every
   * accepted message checks three or four ids, and a regex matcher per id was 7% of the event loops' samples under
   * {@code bench bots --max}.
   */
  static boolean isUuid(String s) {
    if (s == null || s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23
          ? c == '-'
          : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public Bot {
    if (!isUuid(uid)) {
      throw new IllegalArgumentException("uid: expected a UUID");
    }
    if (!isUuid(sessionId)) {
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
