package io.switchboard.codec.auth.jwt;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * Parses a compact JWS into a {@link BotToken}: bots.md §3.2 step 1. The two JSON parts are small, so they are
 * decoded to byte arrays and read with a jackson-core streaming parser (no tree, no databind). Thread-safe.
 *
 * <p>Refused as malformed: over {@link #MAX_LENGTH} characters; not exactly three dot-separated parts; a part that is
 * not canonical unpadded base64url; a header or payload that is not one JSON object (duplicate members included, so
 * two readers can never see different claims); a header without a string {@code alg} or with {@code crit} (we
 * understand no extension, RFC 7515 §4.1.11); a missing or mistyped {@code uid}, {@code sid}, {@code iat},
 * {@code exp}, {@code jti} or {@code sig}; an OAuth-style token ({@code iss} or {@code aid}, no {@code uid}); and
 * {@code scp} other than {@code FULL} (see {@link JwtReason}). The signature part may be empty so that an unsecured
 * ({@code alg: none}) token reaches step 2 and is counted as {@code alg_not_allowed}.
 */
public final class BotTokenParser {
  /** 4 KiB (bots.md §3.2 step 1); the token is ASCII, so characters are bytes. */
  public static final int MAX_LENGTH = 4096;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private BotTokenParser() {}

  /** Parses {@code compact}, e.g. the text after {@code Bearer }. */
  public static BotToken parse(CharSequence compact) throws MalformedTokenException {
    if (compact == null || compact.length() == 0) {
      throw new MalformedTokenException("empty token");
    }
    int length = compact.length();
    if (length > MAX_LENGTH) {
      throw new MalformedTokenException("token longer than " + MAX_LENGTH + " characters");
    }
    int first = indexOf(compact, '.', 0);
    int second = first < 0 ? -1 : indexOf(compact, '.', first + 1);
    if (second < 0 || indexOf(compact, '.', second + 1) >= 0) {
      throw new MalformedTokenException("not three dot-separated parts");
    }
    byte[] header = Base64Url.decode(compact, 0, first);
    byte[] payload = Base64Url.decode(compact, first + 1, second);
    byte[] signature = Base64Url.decode(compact, second + 1, length);
    if (header == null || payload == null || signature == null || header.length == 0 || payload.length == 0) {
      throw new MalformedTokenException("a part is not base64url without padding");
    }
    Header h = readHeader(header);
    return readClaims(payload, h, ascii(compact, second), signature);
  }

  private static Header readHeader(byte[] json) throws MalformedTokenException {
    String alg = null;
    boolean bringsKey = false;
    try (JsonParser p = JSON.createParser(json)) {
      expectObject(p, "header");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "alg" -> alg = string(p, value, "alg");
          case "crit" -> throw new MalformedTokenException("header has crit");
          case "jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256" -> {
            bringsKey = true;
            p.skipChildren();
          }
          default -> p.skipChildren(); // typ, cty, kid: nothing to decide on
        }
      }
      expectEnd(p, "header");
    } catch (JacksonException e) {
      throw new MalformedTokenException("header is not a JSON object");
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array", e);
    }
    if (alg == null) {
      throw new MalformedTokenException("header has no alg");
    }
    return new Header(alg, bringsKey);
  }

  private static BotToken readClaims(byte[] json, Header header, byte[] signingInput, byte[] signature)
      throws MalformedTokenException {
    String uid = null;
    String sid = null;
    String jti = null;
    String sig = null;
    String scp = null;
    Long iat = null;
    Long exp = null;
    boolean oauth = false;
    try (JsonParser p = JSON.createParser(json)) {
      expectObject(p, "payload");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "uid" -> uid = string(p, value, name);
          case "sid" -> sid = string(p, value, name);
          case "jti" -> jti = string(p, value, name);
          case "sig" -> sig = string(p, value, name);
          case "scp" -> scp = string(p, value, name);
          case "iat" -> iat = numericDate(p, value, name);
          case "exp" -> exp = numericDate(p, value, name);
          case "iss", "aid" -> {
            oauth = true;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
      expectEnd(p, "payload");
    } catch (JacksonException e) {
      throw new MalformedTokenException("payload is not a JSON object");
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array", e);
    }
    if (uid == null && oauth) {
      throw new MalformedTokenException("OAuth-style token (iss/aid, no uid)");
    }
    if (uid == null || sid == null || iat == null || exp == null || jti == null || sig == null) {
      throw new MalformedTokenException("missing claim: uid, sid, iat, exp, jti and sig are required");
    }
    if (scp != null && !"FULL".equals(scp)) {
      throw new MalformedTokenException("scp is not FULL");
    }
    return new BotToken(header.alg, header.bringsKey, uid, sid, iat, exp, jti, sig, scp, signingInput, signature);
  }

  private static void expectObject(JsonParser p, String part) throws IOException, MalformedTokenException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new MalformedTokenException(part + " is not a JSON object");
    }
  }

  /** After the members: the object closed, and nothing follows it. */
  private static void expectEnd(JsonParser p, String part) throws IOException, MalformedTokenException {
    if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
      throw new MalformedTokenException(part + " is not a single JSON object");
    }
  }

  private static String string(JsonParser p, JsonToken value, String name) throws IOException, MalformedTokenException {
    if (value != JsonToken.VALUE_STRING) {
      throw new MalformedTokenException(name + " is not a string");
    }
    return p.getText();
  }

  /** RFC 7519 NumericDate: seconds, an integer or (rarely) a fraction, taken down to the second. */
  private static Long numericDate(JsonParser p, JsonToken value, String name)
      throws IOException, MalformedTokenException {
    if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (Math.abs(d) < 1e15) { // far beyond any real date; excludes NaN and infinities
        return (long) Math.floor(d);
      }
    }
    throw new MalformedTokenException(name + " is not a NumericDate");
  }

  private static int indexOf(CharSequence s, char c, int from) {
    for (int i = from, n = s.length(); i < n; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  /** {@code s[0, end)} as bytes; already checked to be base64url characters and one dot, so ASCII. */
  private static byte[] ascii(CharSequence s, int end) {
    byte[] out = new byte[end];
    for (int i = 0; i < end; i++) {
      out[i] = (byte) s.charAt(i);
    }
    return out;
  }

  private record Header(String alg, boolean bringsKey) {}
}
