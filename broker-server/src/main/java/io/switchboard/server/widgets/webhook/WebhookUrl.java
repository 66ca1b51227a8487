package io.switchboard.server.widgets.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A webhook URL that passed the checks of widgets §5.6: at most 2048 characters, {@code http} or {@code https}, a
 * host, no user information, a port in the allowed set, and (when a policy is given) no denied literal IP.
 *
 * <p>Use {@link #parse(String, Set, DestinationPolicy)}; it returns either {@link Valid} or {@link Refused} with a
 * precise {@link Refusal}. Any refusal is answered 400 {@code invalid webhook url} by the dialect.
 */
public final class WebhookUrl {

  /** Maximum length of a webhook URL, in characters. */
  public static final int MAX_LENGTH = 2048;

  /** Default {@code widgets.webhook.allowedPorts}. */
  public static final Set<Integer> DEFAULT_ALLOWED_PORTS = Set.of(80, 443);

  /** Why a URL was refused. */
  public enum Refusal {
    /** Null or empty. */
    EMPTY,
    /** More than {@link #MAX_LENGTH} characters. */
    TOO_LONG,
    /** Not a syntactically valid absolute URI. */
    MALFORMED,
    /** Scheme other than http or https. */
    UNSUPPORTED_SCHEME,
    /** No (parseable) host. */
    MISSING_HOST,
    /** User information present ({@code user:pass@}). */
    USER_INFO,
    /** The (explicit or default) port is not in the allowed set. */
    PORT_NOT_ALLOWED,
    /** The host is a literal IP address in a denied range. */
    DESTINATION_DENIED
  }

  /** The result of {@link #parse}. */
  public sealed interface Result permits Valid, Refused {
    /** True for {@link Valid}. */
    default boolean isValid() {
      return this instanceof Valid;
    }
  }

  /** An accepted URL. */
  public record Valid(WebhookUrl url) implements Result {}

  /** A refused URL and why. */
  public record Refused(Refusal refusal, String detail) implements Result {}

  private final String text;
  private final URI uri;
  private final boolean https;
  private final String host;
  private final int port;
  private final byte[] literalIp;

  private WebhookUrl(String text, URI uri, boolean https, String host, int port, byte[] literalIp) {
    this.text = text;
    this.uri = uri;
    this.https = https;
    this.host = host;
    this.port = port;
    this.literalIp = literalIp;
  }

  /** Syntax checks only (no destination check): for callers that re-check every hop anyway. */
  public static Result parse(String text, Set<Integer> allowedPorts) {
    return parse(text, allowedPorts, null);
  }

  /**
   * Checks {@code text} against §5.6. A null {@code policy} skips the literal-IP check.
   */
  public static Result parse(String text, Set<Integer> allowedPorts, DestinationPolicy policy) {
    Objects.requireNonNull(allowedPorts, "allowedPorts");
    if (text == null || text.isEmpty()) {
      return new Refused(Refusal.EMPTY, "empty url");
    }
    if (text.length() > MAX_LENGTH) {
      return new Refused(Refusal.TOO_LONG, "url longer than " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return new Refused(Refusal.MALFORMED, e.getMessage());
    }
    String scheme = uri.getScheme();
    if (scheme == null) {
      return new Refused(Refusal.MALFORMED, "not an absolute url");
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Refused(Refusal.UNSUPPORTED_SCHEME, "scheme " + scheme + " not allowed");
    }
    if (uri.isOpaque()) {
      return new Refused(Refusal.MISSING_HOST, "no host");
    }
    if (uri.getRawUserInfo() != null) {
      return new Refused(Refusal.USER_INFO, "user information not allowed");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      // URI leaves host null for a registry-based authority (user info, bad characters, …)
      String auth = uri.getRawAuthority();
      if (auth != null && auth.indexOf('@') >= 0) {
        return new Refused(Refusal.USER_INFO, "user information not allowed");
      }
      return new Refused(Refusal.MISSING_HOST, "no host");
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    if (!allowedPorts.contains(port)) {
      return new Refused(Refusal.PORT_NOT_ALLOWED, "port " + port + " not allowed");
    }
    String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    byte[] literal = DestinationPolicy.IpLiterals.parse(bareHost);
    if (host.startsWith("[") && literal == null) {
      return new Refused(Refusal.MALFORMED, "bad IPv6 literal");
    }
    if (literal != null && policy != null && policy.isDenied(literal)) {
      return new Refused(Refusal.DESTINATION_DENIED, "destination " + bareHost + " denied");
    }
    return new Valid(new WebhookUrl(text, uri, https, bareHost, port, literal));
  }

  /** Parses or throws {@link IllegalArgumentException} with the refusal. */
  public static WebhookUrl of(String text, Set<Integer> allowedPorts, DestinationPolicy policy) {
    Result r = parse(text, allowedPorts, policy);
    if (r instanceof Valid v) {
      return v.url();
    }
    Refused f = (Refused) r;
    throw new IllegalArgumentException(f.refusal() + ": " + f.detail());
  }

  /** The URL as given. */
  public String text() {
    return text;
  }

  /** The parsed URI. */
  public URI uri() {
    return uri;
  }

  /** True for https. */
  public boolean isHttps() {
    return https;
  }

  /** The host without IPv6 brackets (what is resolved, and the TLS SNI / verification name). */
  public String host() {
    return host;
  }

  /** The effective port. */
  public int port() {
    return port;
  }

  /** True when the host is a literal IP address. */
  public boolean isLiteralIp() {
    return literalIp != null;
  }

  /** The literal IP bytes, or null when the host is a name. */
  byte[] literalAddress() {
    return literalIp == null ? null : literalIp.clone();
  }

  /** The {@code Host} header value: the original host and port as written in the URL. */
  public String hostHeader() {
    return uri.getRawAuthority();
  }

  /** The request target: raw path (or {@code /}) and raw query; never the fragment. */
  public String requestTarget() {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String query = uri.getRawQuery();
    return query == null ? path : path + "?" + query;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookUrl w && w.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
