package io.switchboard.server.bots;

import io.switchboard.codec.auth.jwt.BotTokenParser;
import io.switchboard.codec.auth.jwt.MalformedTokenException;

/** Small helpers around token verification shared by the upgrade and REST. */
final class BotsAuth {
  private BotsAuth() {}

  /** The uid a token claims, unverified (for the per-uid throttle check before verifying), or null. */
  static String claimedUid(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      String uid = BotTokenParser.parse(token).uid();
      return uid == null ? null : uid.toLowerCase(java.util.Locale.ROOT);
    } catch (MalformedTokenException e) {
      return null;
    }
  }
}
