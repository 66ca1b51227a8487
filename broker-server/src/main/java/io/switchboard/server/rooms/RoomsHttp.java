package io.switchboard.server.rooms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms HTTP endpoints (rooms.md §2, §5.3–§5.6, §8.1): room identification, {@code POST /ws/messages},
 * {@code GET /ws/messages}, {@code GET /ws/presence}, CORS, errors as {@code {"code","msg"}} with real statuses.
 */
final class RoomsHttp {
  private final RoomsService svc;
  private final Map<String, ArrayDeque<Long>> posts = new ConcurrentHashMap<>();

  RoomsHttp(RoomsService svc) {
    this.svc = svc;
  }

  /** A failed check: status, message and metric reason. */
  static final class Refusal extends RuntimeException {
    final int status;
    final String reason;
    final long retryAfterSeconds;

    Refusal(int status, String msg, String reason) {
      this(status, msg, reason, 0);
    }

    Refusal(int status, String msg, String reason, long retryAfterSeconds) {
      super(msg, null, false, false);
      this.status = status;
      this.reason = reason;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  /** The site and room of a request (§2 checks 1–4). */
  record Target(Site site, String slug, RoomsService.Room room) {}

  Target identify(HttpExchange ex) {
    String siteText = ex.query("site_id") != null ? ex.query("site_id") : ex.header("X-TALKEE-SITE-ID");
    String slug = ex.query("slug") != null ? ex.query("slug") : ex.header("X-TALKEE-SITE-SLUG");
    long siteId;
    try {
      siteId = siteText == null ? -1 : Long.parseLong(siteText.trim());
    } catch (NumberFormatException e) {
      siteId = -1;
    }
    if (siteId < 1) {
      throw new Refusal(400, "invalid site id", "invalid_site_id");
    }
    if (slug == null || slug.isEmpty() || slug.length() > svc.config.maxSlugChars()) {
      throw new Refusal(400, "invalid slug", "invalid_slug");
    }
    Site site = svc.site(siteId);
    if (site == null) {
      throw new Refusal(404, "site not found", "unknown_site");
    }
    if (!site.allows(slug)) {
      throw new Refusal(404, "room not found", "unknown_room");
    }
    return new Target(site, slug, svc.room(site, slug));
  }

  void messages(HttpExchange ex) {
    Target t;
    try {
      t = identify(ex);
      if (ex.method() == HttpMethod.OPTIONS) {
        preflight(ex, t.site());
        return;
      }
      if (ex.method() == HttpMethod.POST) {
        post(ex, t);
      } else if (ex.method() == HttpMethod.GET) {
        history(ex, t);
      } else {
        throw new Refusal(405, "method not allowed", "method_not_allowed");
      }
    } catch (Refusal r) {
      refuse(ex, r, null);
    }
  }

  void presence(HttpExchange ex) {
    try {
      Target t = identify(ex);
      if (ex.method() == HttpMethod.OPTIONS) {
        preflight(ex, t.site());
        return;
      }
      if (t.site().isPrivate()) {
        user(ex, t.site());
      }
      respond(ex, 200, t.room().presenceJson(), t.site(), null);
    } catch (Refusal r) {
      refuse(ex, r, null);
    }
  }

  private SiteToken.User user(HttpExchange ex, Site site) {
    String token = ex.bearerToken();
    if (token == null) {
      throw new Refusal(401, "unauthorized", "unauthorized");
    }
    try {
      return SiteToken.verify(token, site, svc.clock, svc.config.clockSkew());
    } catch (SiteToken.Refused e) {
      throw new Refusal(401, "unauthorized", "unauthorized");
    }
  }

  private void post(HttpExchange ex, Target t) {
    SiteToken.User user = user(ex, t.site());
    if (ex.body().readableBytes() > svc.config.maxBodyBytes()) {
      throw new Refusal(413, "request body too large", "body_too_large");
    }
    String category = null;
    String data = null;
    String messageId = null;
    try (JsonParser p = Json.FACTORY.createParser((InputStream) new ByteBufInputStream(ex.body().duplicate()))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Refusal(400, "invalid request body", "invalid_body");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken tok = p.nextToken();
        String v = tok == JsonToken.VALUE_STRING ? p.getText() : null;
        switch (f) {
          case "category" -> category = v;
          case "data" -> data = v;
          case "message_id" -> messageId = v;
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new Refusal(400, "invalid request body", "invalid_body");
    }
    if (!"text".equals(category)) {
      throw new Refusal(400, "unsupported category", "unsupported_category");
    }
    byte[] bytes;
    try {
      bytes = data == null ? null : Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null || bytes.length < 1 || bytes.length > svc.config.maxTextBytes()) {
      throw new Refusal(400, "invalid data", "invalid_data");
    }
    if (messageId == null || !messageId.matches(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
      throw new Refusal(400, "invalid message_id", "invalid_message_id");
    }
    long retryAfter = rateLimited(t.site().siteId() + "/" + user.userId());
    if (retryAfter > 0) {
      throw new Refusal(429, "too many requests", "rate_limited", retryAfter);
    }
    String[] existing = t.room().existing(messageId);
    if (existing != null) {
      if (!existing[0].equals(Long.toString(user.userId()))) {
        throw new Refusal(409, "message_id already used", "message_id_conflict");
      }
      respond(ex, 200, existing[1], t.site(), null); // idempotent: nothing broadcast again
      return;
    }
    String stored = Base64.getEncoder().encodeToString(bytes);
    String mid = messageId;
    t.room().append(user, mid, stored).whenComplete((json, err) -> {
      if (err != null) {
        refuse(ex, new Refusal(500, "internal error", "internal_error"), t.site());
      } else if (json == null) {
        String[] raced = t.room().existing(mid); // a concurrent post of the same message_id won
        if (raced != null && raced[0].equals(Long.toString(user.userId()))) {
          respond(ex, 200, raced[1], t.site(), null);
        } else {
          refuse(ex, new Refusal(409, "message_id already used", "message_id_conflict"), t.site());
        }
      } else {
        respond(ex, 200, json, t.site(), null);
      }
    });
  }

  /** Sliding-window posting limit per (site, user); seconds to wait, or 0. */
  private long rateLimited(String key) {
    long now = svc.clock.millis();
    long window = svc.config.rateLimitWindow().toMillis();
    if (posts.size() > 100_000) { // bounded: forget users whose posts all left the window
      posts.entrySet().removeIf(e -> {
        synchronized (e.getValue()) {
          return e.getValue().isEmpty() || now - e.getValue().peekLast() >= window;
        }
      });
    }
    ArrayDeque<Long> d = posts.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (d) {
      while (!d.isEmpty() && now - d.peekFirst() >= window) {
        d.pollFirst();
      }
      if (d.size() >= svc.config.rateLimitMessages()) {
        return Math.max(1, (d.peekFirst() + window - now + 999) / 1000);
      }
      d.addLast(now);
      return 0;
    }
  }

  private void history(HttpExchange ex, Target t) {
    if (t.site().isPrivate()) {
      user(ex, t.site());
    }
    String filter = ex.query("filter");
    if (filter != null && !filter.equals("latest")) {
      throw new Refusal(400, "invalid filter", "invalid_filter");
    }
    int limit = svc.config.historyMaxPage();
    if (ex.query("limit") != null) {
      try {
        limit = Integer.parseInt(ex.query("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > svc.config.historyMaxPage()) {
        throw new Refusal(400, "invalid limit", "invalid_limit");
      }
    }
    long before = Long.MAX_VALUE;
    if (ex.query("before") != null) {
      try {
        before = Long.parseLong(ex.query("before"));
      } catch (NumberFormatException e) {
        before = -1;
      }
      if (before < 1) {
        throw new Refusal(400, "invalid cursor", "invalid_cursor");
      }
    }
    List<String> page = t.room().history(limit, before);
    boolean older = !page.isEmpty() && page.get(page.size() - 1) == null;
    if (older) {
      page = page.subList(0, page.size() - 1);
    }
    String next = null;
    if (older && !page.isEmpty()) {
      String first = page.get(0);
      int i = first.lastIndexOf("\"id\":");
      next = first.substring(i + 5, first.indexOf(',', i));
    }
    respond(ex, 200, "[" + String.join(",", page) + "]", t.site(), next);
  }

  private void preflight(HttpExchange ex, Site site) {
    String origin = site.corsOrigin(ex.header(HttpHeaderNames.ORIGIN));
    if (origin == null) {
      throw new Refusal(403, "origin not allowed", "origin_not_allowed");
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS")
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
            "Authorization, Content-Type, X-TALKEE-SITE-ID, X-TALKEE-SITE-SLUG")
        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
    ex.respond(r, false);
  }

  private void refuse(HttpExchange ex, Refusal r, Site site) {
    svc.outcomes.rejected(RoomsService.DIALECT, r.reason);
    FullHttpResponse resp = response(ex, r.status, "{\"code\":" + r.status + ",\"msg\":" + Json.quote(r.getMessage())
        + "}", site, null);
    if (r.status == 429) {
      resp.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(r.retryAfterSeconds));
    }
    ex.respond(resp, false);
  }

  private void respond(HttpExchange ex, int status, String json, Site site, String nextBefore) {
    ex.respond(response(ex, status, json, site, nextBefore), false);
  }

  private FullHttpResponse response(HttpExchange ex, int status, String json, Site site, String nextBefore) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        ByteBufUtil.writeUtf8(ex.ctx().alloc(), json));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    String origin = site == null ? "*" : site.corsOrigin(ex.header(HttpHeaderNames.ORIGIN));
    if (origin != null) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
          .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Next-Before, Retry-After");
    }
    if (nextBefore != null) {
      r.headers().set("X-Next-Before", nextBefore);
    }
    return r;
  }
}
