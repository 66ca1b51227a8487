package io.switchboard.server.demo;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.HttpHandler;
import io.switchboard.server.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo pages under {@code /demo/}: a room chat ({@code rooms.html}) and a widget page with live chat and viewer
 * counter ({@code widgets.html}), plain JavaScript with no build step and no external resources. They show how to
 * integrate the rooms and widgets dialects from a browser, and the browser tests drive them.
 *
 * <p>Only a fixed set of classpath resources, read once at construction, is served: a request names one of them
 * exactly or gets 404, so no path (decoded or not) can reach anything else. Every page carries a Content-Security-
 * Policy that allows scripts, styles and connections to the broker's own origin only ({@code ws:}/{@code wss:} for
 * the sockets), and {@code Cache-Control: no-cache}.
 */
public final class DemoPages implements HttpHandler {
  /** The route prefix. */
  public static final String PREFIX = "/demo/";

  /** The policy sent with every demo resource. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private static final String RESOURCE_DIR = "/io/switchboard/server/demo/";
  private static final String[] NAMES = {"index.html", "rooms.html", "rooms.js", "widgets.html", "widgets.js",
      "demo.css"};

  private final Map<String, Resource> resources;

  private record Resource(byte[] bytes, String contentType) {}

  /** Loads the pages from the classpath; fails if one is missing from the build. */
  public DemoPages() {
    Map<String, Resource> m = new LinkedHashMap<>();
    for (String name : NAMES) {
      m.put(name, new Resource(load(name), contentType(name)));
    }
    this.resources = Map.copyOf(m);
  }

  /** Routes {@code /demo} (redirected to {@code /demo/}) and everything under {@code /demo/}. */
  public void register(Router.Builder routes) {
    routes.exact("/demo", "demo", this::redirect);
    routes.prefix(PREFIX, "demo", this);
  }

  @Override
  public void handle(HttpExchange ex) {
    if (ex.method() != HttpMethod.GET && ex.method() != HttpMethod.HEAD) {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
      return;
    }
    String path = ex.path();
    if (!path.startsWith(PREFIX)) {
      ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      return;
    }
    String name = path.substring(PREFIX.length());
    if (name.isEmpty()) {
      name = "index.html";
    }
    Resource r = resources.get(name);
    if (r == null) {
      ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      return;
    }
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(r.bytes()));
    securityHeaders(resp);
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    ex.respond(resp, false);
  }

  private void redirect(HttpExchange ex) {
    if (ex.method() != HttpMethod.GET && ex.method() != HttpMethod.HEAD) {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
      return;
    }
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.MOVED_PERMANENTLY, Unpooled.EMPTY_BUFFER);
    resp.headers().set(HttpHeaderNames.LOCATION, PREFIX);
    securityHeaders(resp);
    ex.respond(resp, false);
  }

  private static void securityHeaders(FullHttpResponse resp) {
    resp.headers()
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
        .set("Referrer-Policy", "no-referrer");
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    throw new IllegalArgumentException(name);
  }

  private static byte[] load(String name) {
    try (InputStream in = DemoPages.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("demo resource missing from the build: " + RESOURCE_DIR + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
