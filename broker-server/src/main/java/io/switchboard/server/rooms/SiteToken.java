package io.switchboard.server.rooms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.switchboard.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A site's HS256 access token (rooms.md §3.1): only {@code alg: HS256}, signature compared in constant time,
 * {@code user_id} a positive integer, {@code exp} (and {@code nbf}/{@code iat} when present) checked with the skew.
 */
final class SiteToken {
  /** The verified claims. */
  record User(long userId, String fullName, String avatarUrl, String mixinUserId, String mixinIdentityNumber,
      String mvmPublicKey) {}

  /** Why a token was refused: {@code INVALID} or {@code EXPIRED} (the 4001 reasons). */
  enum Failure { INVALID, EXPIRED }

  /** A refusal; stackless. */
  static final class Refused extends Exception {
    final Failure failure;

    Refused(Failure failure) {
      super(failure.name(), null, false, false);
      this.failure = failure;
    }
  }

  private SiteToken() {}

  static User verify(String token, Site site, Clock clock, Duration skew) throws Refused {
    if (token == null || token.length() > 8192) {
      throw new Refused(Failure.INVALID);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new Refused(Failure.INVALID);
    }
    byte[] header;
    byte[] claims;
    byte[] signature;
    try {
      Base64.Decoder d = Base64.getUrlDecoder();
      header = d.decode(parts[0]);
      claims = d.decode(parts[1]);
      signature = d.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new Refused(Failure.INVALID);
    }
    if (!"HS256".equals(stringField(header, "alg"))) {
      throw new Refused(Failure.INVALID);
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(site.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    if (!MessageDigest.isEqual(expected, signature)) {
      throw new Refused(Failure.INVALID);
    }
    long userId = -1;
    Long exp = null;
    Long nbf = null;
    Long iat = null;
    String fullName = "";
    String avatar = "";
    String mixinUser = "";
    String identity = "";
    String mvm = "";
    try (JsonParser p = Json.FACTORY.createParser(claims)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Refused(Failure.INVALID);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "user_id" -> userId = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case "exp" -> exp = t.isNumeric() ? (long) p.getDoubleValue() : null;
          case "nbf" -> nbf = t.isNumeric() ? (long) p.getDoubleValue() : null;
          case "iat" -> iat = t.isNumeric() ? (long) p.getDoubleValue() : null;
          case "full_name" -> fullName = text(p, t);
          case "avatar_url" -> avatar = text(p, t);
          case "mixin_user_id" -> mixinUser = text(p, t);
          case "mixin_identity_number" -> identity = text(p, t);
          case "mvm_public_key" -> mvm = text(p, t);
          default -> p.skipChildren();
        }
      }
    } catch (java.io.IOException e) {
      throw new Refused(Failure.INVALID);
    }
    if (userId < 1 || exp == null) {
      throw new Refused(Failure.INVALID);
    }
    long now = clock.millis() / 1000;
    long s = skew.toSeconds();
    if (exp <= now - s || (nbf != null && nbf > now + s) || (iat != null && iat > now + s)) {
      throw new Refused(Failure.EXPIRED);
    }
    return new User(userId, fullName, avatar, mixinUser, identity, mvm);
  }

  private static String text(JsonParser p, JsonToken t) throws java.io.IOException {
    return t == JsonToken.VALUE_STRING ? p.getText() : "";
  }

  private static String stringField(byte[] json, String name) {
    try (JsonParser p = Json.FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String out = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        if (f.equals(name) && t == JsonToken.VALUE_STRING) {
          out = p.getText();
        } else {
          p.skipChildren();
        }
      }
      return out;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
