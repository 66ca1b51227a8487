package io.switchboard.server.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.config.AdminConfig;
import io.switchboard.core.identity.IdentityKind;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.core.identity.Identities;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.HttpHandler;
import io.switchboard.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /admin/v1/}: bearer-token auth (compared in constant time), and the conventions every
 * identity kind follows:
 *
 * <pre>
 *   POST   /admin/v1/{kind}        create            201, 409 if the id exists, 400 if invalid
 *   GET    /admin/v1/{kind}        list              200 {"items":[...]}, secrets redacted
 *   GET    /admin/v1/{kind}/{id}   read              200, 404
 *   PUT    /admin/v1/{kind}/{id}   create or replace 200 (replaced) or 201 (created), 400 if invalid
 *   DELETE /admin/v1/{kind}/{id}   delete            204, 404
 * </pre>
 *
 * <p>Without a configured token every admin path answers 404 (the API does not exist); with a wrong or missing
 * bearer, 401. Dialects add kinds with {@link #register} and further paths with {@link #route}.
 */
public final class AdminApi implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
  public static final String PREFIX = "/admin/v1/";

  private final byte[] tokenDigest;
  private final Identities identities;
  private final Map<String, IdentityRegistry<?>> kinds = new ConcurrentHashMap<>();
  private final Map<String, HttpHandler> subRoutes = new ConcurrentHashMap<>();

  public AdminApi(AdminConfig config, Identities identities) {
    this.tokenDigest = config.enabled() ? sha256(config.token()) : null;
    this.identities = identities;
  }

  /** Serves {@code kind} under {@code /admin/v1/<kind.name()>}; returns its registry. */
  public <T> IdentityRegistry<T> register(IdentityKind<T> kind) {
    IdentityRegistry<T> r = identities.registry(kind);
    kinds.put(kind.name(), r);
    return r;
  }

  /**
   * Serves {@code GET|POST|... /admin/v1/<kind>/<id>/<action>} (for example {@code apps/{appKey}/activity}) or,
   * with {@code kind} naming no identity kind, {@code /admin/v1/<kind>/<id>/<action>} for other resources. The
   * handler sees the exchange after authentication.
   */
  public void route(String kind, String action, HttpHandler handler) {
    subRoutes.put(kind + "/" + action, handler);
  }

  @Override
  public void handle(HttpExchange ex) throws Exception {
    if (tokenDigest == null) {
      ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      return;
    }
    if (!authorized(ex.bearerToken())) {
      ex.respondError(HttpResponseStatus.UNAUTHORIZED, "unauthorized");
      return;
    }
    String[] parts = ex.path().substring(PREFIX.length()).split("/", -1);
    if (parts.length >= 3) {
      HttpHandler sub = subRoutes.get(parts[0] + "/" + parts[2]);
      if (sub != null && parts.length == 3) {
        sub.handle(ex);
        return;
      }
    }
    IdentityRegistry<?> registry = kinds.get(parts[0]);
    if (registry == null || parts.length > 2 || parts[0].isEmpty()) {
      ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      return;
    }
    if (parts.length == 1 || parts[1].isEmpty()) {
      collection(ex, registry);
    } else {
      item(ex, registry, parts[1]);
    }
  }

  private boolean authorized(String token) {
    // Digests have a fixed length, so the comparison's time reveals neither the token nor its length.
    return token != null && MessageDigest.isEqual(tokenDigest, sha256(token));
  }

  private <T> void collection(HttpExchange ex, IdentityRegistry<T> registry) {
    if (ex.method() == HttpMethod.GET) {
      StringBuilder sb = new StringBuilder("{\"items\":[");
      boolean first = true;
      for (T rec : registry.all()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(registry.kind().toRedactedJson(rec));
      }
      ex.respondJson(HttpResponseStatus.OK, sb.append("]}").toString());
    } else if (ex.method() == HttpMethod.POST) {
      T rec = parse(ex, registry.kind());
      if (rec == null) {
        return;
      }
      reply(ex, registry.create(rec), registry.kind(), rec);
    } else {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
    }
  }

  private <T> void item(HttpExchange ex, IdentityRegistry<T> registry, String id) {
    if (ex.method() == HttpMethod.GET) {
      T rec = registry.get(id);
      if (rec == null) {
        ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      } else {
        ex.respondJson(HttpResponseStatus.OK, registry.kind().toRedactedJson(rec));
      }
    } else if (ex.method() == HttpMethod.PUT) {
      T rec = parse(ex, registry.kind());
      if (rec == null) {
        return;
      }
      if (!id.equals(registry.kind().idOf(rec))) {
        ex.respondJson(HttpResponseStatus.BAD_REQUEST, invalid("the id in the body (" + registry.kind().idOf(rec)
            + ") differs from the id in the path (" + id + ")"));
        return;
      }
      reply(ex, registry.put(rec), registry.kind(), rec);
    } else if (ex.method() == HttpMethod.DELETE) {
      reply(ex, registry.delete(id), registry.kind(), null);
    } else {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
    }
  }

  private static <T> T parse(HttpExchange ex, IdentityKind<T> kind) {
    byte[] body = ByteBufUtil.getBytes(ex.body());
    try {
      return kind.decode(body);
    } catch (IllegalArgumentException e) {
      ex.respondJson(HttpResponseStatus.BAD_REQUEST, invalid(e.getMessage()));
      return null;
    }
  }

  private static String invalid(String message) {
    return "{\"error\":\"invalid_request\",\"message\":" + Json.quote(String.valueOf(message)) + "}";
  }

  private static <T> void reply(HttpExchange ex, CompletableFuture<IdentityRegistry.Outcome> f, IdentityKind<T> kind,
      T rec) {
    f.whenComplete((outcome, err) -> {
      if (err != null) {
        log.warn("admin {} write failed", kind.name(), err);
        ex.respondError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error");
        return;
      }
      switch (outcome) {
        case CREATED -> ex.respondJson(HttpResponseStatus.CREATED, kind.toRedactedJson(rec));
        case REPLACED -> ex.respondJson(HttpResponseStatus.OK, kind.toRedactedJson(rec));
        case DELETED -> ex.respondText(HttpResponseStatus.NO_CONTENT, "application/json", "");
        case EXISTS -> ex.respondError(HttpResponseStatus.CONFLICT, "already_exists");
        case NOT_FOUND -> ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      }
    });
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
