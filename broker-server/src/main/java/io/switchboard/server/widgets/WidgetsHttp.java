package io.switchboard.server.widgets;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import io.switchboard.server.widgets.webhook.DestinationPolicy;
import io.switchboard.server.widgets.webhook.WebhookJob;
import io.switchboard.server.widgets.webhook.WebhookOutcome;
import io.switchboard.server.widgets.webhook.WebhookUrl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /publish/{streamId}?token=} and its CORS preflight (widgets.md §2.3, §3, §5.3–§5.6, §8). Every answer
 * is {@code {"code","message"}} with the matching status; every refusal is counted with its reason.
 *
 * <p>Checks, in order: the stream is known (404) and not ended (410); the body's size (413) and shape (400); the
 * type (400); the widget key's presence (400); the token (401); the key's registration and streams (403); the
 * type's required fields (400); the token's publish rate (429). Then the type's action.
 */
final class WidgetsHttp {
  static final String PREFIX = "/publish/";
  private static final String OK = "{\"code\":200,\"message\":\"ok\"}";

  private final WidgetsService svc;
  private final DestinationPolicy policy;
  private final Set<Integer> ports;

  WidgetsHttp(WidgetsService svc) {
    this.svc = svc;
    this.policy = DestinationPolicy.withAllowList(svc.config.webhookAllow());
    this.ports = Set.copyOf(svc.config.webhookAllowedPorts());
  }

  void publish(HttpExchange ex) {
    String streamId = ex.path().substring(PREFIX.length());
    WidgetKey key = null;
    try {
      if (!svc.isKnown(streamId)) {
        throw new Refusal(404, "stream not found", "unknown_stream");
      }
      if (ex.method() == HttpMethod.OPTIONS) {
        preflight(ex, streamId);
        return;
      }
      if (ex.method() != HttpMethod.POST) {
        throw new Refusal(405, "method not allowed", "method_not_allowed");
      }
      if (svc.isEnded(streamId)) {
        throw new Refusal(410, "stream ended", "stream_ended");
      }
      if (ex.body().readableBytes() > svc.config.maxBodyBytes()) {
        throw new Refusal(413, "request body too large", "body_too_large");
      }
      Published e = Published.parse(svc.json, ex.body());
      switch (e.type == null ? "" : e.type) {
        case "broadcast", "private", "request", "webhook" -> { }
        case "init", "system" -> throw new Refusal(400, "type is reserved for the server", "invalid_type");
        default -> throw new Refusal(400, "invalid type", "invalid_type");
      }
      if (e.widgetKey == null || e.widgetKey.isEmpty()) {
        throw new Refusal(400, "widget_key is required", "missing_widget_key");
      }
      TokenGrant grant = svc.resolve(ex.query("token"));
      if (grant == null || !grant.streamId.equals(streamId)) {
        throw new Refusal(401, "invalid token", "invalid_token");
      }
      key = svc.key(e.widgetKey);
      if (key == null) {
        throw new Refusal(403, "unknown widget key", "unknown_widget_key");
      }
      if (!key.allows(streamId)) {
        throw new Refusal(403, "widget key not allowed on this stream", "widget_key_forbidden");
      }
      String author = e.authorId != null && !e.authorId.isEmpty() && e.authorId.length() <= 64 ? e.authorId
          : grant.userId;
      WidgetStream stream = svc.stream(streamId);
      switch (e.type) {
        case "broadcast" -> broadcast(ex, stream, e, grant, author, key);
        case "private" -> sendPrivate(ex, stream, e, grant, author, key);
        case "request" -> request(ex, stream, e, grant, key);
        default -> webhook(ex, stream, e, grant, author, key);
      }
    } catch (Refusal r) {
      refuse(ex, r, key);
    }
  }

  private void limit(TokenGrant grant) {
    if (!svc.publishLimiter.tryAcquire(grant.token, System.nanoTime())) {
      throw new Refusal(429, "too many requests", "rate_limited");
    }
  }

  private static void require(boolean present, String field) {
    if (!present) {
      throw new Refusal(400, field + " is required", "missing_field");
    }
  }

  private void broadcast(HttpExchange ex, WidgetStream stream, Published e, TokenGrant grant, String author,
      WidgetKey key) {
    require(e.messageJson != null && !e.messageJson.equals("null"), "message");
    require(e.timestampText != null && !e.timestampText.isEmpty(), "timestamp");
    limit(grant);
    WidgetKey k = key;
    stream.broadcast(author, e.messageJson, e.timestampText, e.widgetKey).whenComplete((json, err) -> {
      if (err != null) {
        refuse(ex, new Refusal(500, "internal error", "internal_error"), k);
      } else {
        respond(ex, 200, OK, k);
      }
    });
  }

  private void sendPrivate(HttpExchange ex, WidgetStream stream, Published e, TokenGrant grant, String author,
      WidgetKey key) {
    require(e.messageJson != null && !e.messageJson.equals("null"), "message");
    require(e.toUserId != null && !e.toUserId.isEmpty(), "to_user_id");
    require(e.timestampText != null && !e.timestampText.isEmpty(), "timestamp");
    if (stream.viewer(e.toUserId) == null && !svc.inGrace(stream.id, e.toUserId)) {
      throw new Refusal(404, "recipient not found", "unknown_recipient");
    }
    limit(grant);
    stream.sendPrivate(e.toUserId, author, e.messageJson, e.timestampText, e.widgetKey);
    respond(ex, 200, OK, key);
  }

  private void request(HttpExchange ex, WidgetStream stream, Published e, TokenGrant grant, WidgetKey key) {
    int max = svc.config.requestMaxMessages();
    if (e.badPaging || (e.limit != null && e.limit < 1) || (e.after != null && e.after < 0)) {
      throw new Refusal(400, "invalid paging parameters", "invalid_paging");
    }
    limit(grant);
    int limit = e.limit == null ? max : (int) Math.min(max, e.limit);
    Long after = e.after;
    String widgetKey = e.widgetKey;
    try { // the store scan runs on the blocking pool; the reply is queued, which is what the 200 says (§6)
      svc.blocking.execute(() -> reply(stream, grant, after, limit, widgetKey));
    } catch (java.util.concurrent.RejectedExecutionException full) {
      throw new Refusal(500, "internal error", "internal_error");
    }
    respond(ex, 200, OK, key);
  }

  /** Builds and queues a {@code request} reply (§5.5): stored broadcasts, capped at {@code maxEventBytes}. */
  private void reply(WidgetStream stream, TokenGrant grant, Long after, int limit, String widgetKey) {
    List<byte[]> stored;
    try {
      stored = stream.stored(after, limit);
    } catch (RuntimeException e) {
      svc.outcomes.rejected(WidgetsService.DIALECT, "internal_error");
      return;
    }
    // A reply over maxEventBytes keeps the newest broadcasts that fit.
    int budget = svc.config.maxEventBytes() - 256 - widgetKey.length() - stream.id.length();
    int from = stored.size();
    int size = 2;
    while (from > 0 && size + stored.get(from - 1).length + 1 <= budget) {
      size += stored.get(--from).length + 1;
    }
    StringBuilder arr = new StringBuilder(size + 2).append('[');
    for (int i = from; i < stored.size(); i++) {
      if (i > from) {
        arr.append(',');
      }
      arr.append(new String(stored.get(i), StandardCharsets.UTF_8));
    }
    arr.append(']');
    byte[] reply = Envelopes.server(stream.id, grant.userId, arr.toString(), "request", widgetKey);
    if (!stream.sendTo(grant.userId, reply)) {
      svc.outcomes.rejected(WidgetsService.DIALECT, "requester_gone");
    }
  }

  private void webhook(HttpExchange ex, WidgetStream stream, Published e, TokenGrant grant, String author,
      WidgetKey key) {
    if (!key.webhooks()) {
      throw new Refusal(403, "webhooks not allowed for this widget key", "webhook_forbidden");
    }
    WebhookUrl url; // a missing message.url fails the URL checks like a bad one (§5.6)
    if (e.url != null && WebhookUrl.parse(e.url, ports, policy) instanceof WebhookUrl.Valid v) {
      url = v.url();
    } else {
      throw new Refusal(400, "invalid webhook url", "invalid_url");
    }
    limit(grant);
    if (!svc.webhookLimiter.tryAcquire(key.key(), System.nanoTime())) {
      throw new Refusal(429, "too many requests", "rate_limited");
    }
    String ts = e.timestampText == null || e.timestampText.isEmpty() ? "0" : e.timestampText;
    byte[] body = Envelopes.envelope(stream.id, author, "", e.messageJson, ts, "webhook", e.widgetKey, -1);
    String sender = grant.userId;
    String widgetKey = e.widgetKey;
    boolean queued = svc.webhooks.offer(WebhookJob.of(url, body, stream.id), outcome -> {
      if (!stream.sendTo(sender, Envelopes.server(stream.id, sender, outcomeJson(outcome), "webhook",
          widgetKey))) {
        svc.webhookOutcomesDropped.increment();
      }
    });
    if (!queued) { // nothing was sent: the key's webhook budget is not spent
      svc.webhookLimiter.refund(key.key());
      throw new Refusal(503, "webhook queue full", "webhook_queue_full");
    }
    respond(ex, 200, OK, key);
  }

  static String outcomeJson(WebhookOutcome o) {
    String s = "{\"url\":" + Json.quote(o.url()) + ",\"status\":" + o.status() + ",\"ok\":" + o.ok() + ",\"body\":"
        + Json.quote(o.body()) + ",\"truncated\":" + o.truncated() + ",\"attempts\":" + o.attempts();
    if (o.errorName() != null) {
      s += ",\"error\":" + Json.quote(o.errorName());
    }
    return s + "}";
  }

  private void preflight(HttpExchange ex, String streamId) {
    String allowed = svc.corsOrigin(streamId, ex.header(HttpHeaderNames.ORIGIN));
    if (allowed == null) {
      throw new Refusal(403, "origin not allowed", "origin_not_allowed");
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS")
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type")
        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
    ex.respond(r, false);
  }

  void refuse(HttpExchange ex, Refusal r, WidgetKey key) {
    svc.outcomes.rejected(WidgetsService.DIALECT, r.reason);
    respond(ex, r.status, "{\"code\":" + r.status + ",\"message\":" + Json.quote(r.getMessage()) + "}", key);
  }

  private static void respond(HttpExchange ex, int status, String json, WidgetKey key) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        ByteBufUtil.writeUtf8(ex.ctx().alloc(), json));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    String origin = key == null ? "*" : key.corsOrigin(ex.header(HttpHeaderNames.ORIGIN));
    if (origin != null) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    ex.respond(r, false);
  }
}
