package io.switchboard.server.widgets;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.codec.pipeline.ReadIdleHandler;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.dialect.ListenerSpec;
import io.switchboard.server.http.EventStreams;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import io.switchboard.server.pipeline.HandlerNames;
import io.switchboard.server.websocket.WebSocketSessionSpec;
import io.switchboard.server.websocket.WebSocketUpgrader;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The widgets dialect (inLive widget API compatible; contract: protocols/widgets.md): subscriptions at
 * {@code /subscribe/{streamId}} over SSE or WebSocket, publishes at {@code /publish/{streamId}}, widget keys as an
 * admin resource ({@code /admin/v1/widget-keys}) and streams ended or started through
 * {@code POST /admin/v1/widget-streams/{streamId}/end|start}.
 */
public final class WidgetsDialect implements Dialect {
  static final String SUBSCRIBE = "/subscribe/";
  private static final int MAX_CLIENT_FRAME = 1024;

  private WidgetsService svc;
  private WidgetsHttp http;
  private WebSocketUpgrader upgrader;
  private ScheduledFuture<?> sweeper;
  private List<ListenerSpec> listeners = List.of();

  @Override
  public String name() {
    return WidgetsService.DIALECT;
  }

  @Override
  public void start(DialectContext context) {
    IdentityRegistry<WidgetKey> keys = context.admin().register(WidgetKeyKind.INSTANCE);
    svc = new WidgetsService(context.broker(), keys);
    http = new WidgetsHttp(svc);
    upgrader = context.upgrader();
    context.routes().prefix(SUBSCRIBE, name(), this::subscribe);
    context.routes().prefix(WidgetsHttp.PREFIX, name(), http::publish);
    context.admin().route("widget-streams", "end", ex -> admin(ex, true));
    context.admin().route("widget-streams", "start", ex -> admin(ex, false));
    sweeper = context.broker().eventLoops().next().scheduleAtFixedRate(svc::sweep, 30, 30, TimeUnit.SECONDS);
    listeners = ListenerSpec.parseAll(context.broker().config().widgets().listeners());
  }

  @Override
  public List<ListenerSpec> listeners() {
    return listeners;
  }

  @Override
  public void stop() {
    if (sweeper != null) {
      sweeper.cancel(false);
    }
    if (svc != null) {
      svc.close();
    }
  }

  /** The checks of §2.1 in order, then an SSE stream or, with upgrade headers, a WebSocket (§2.2). */
  private void subscribe(HttpExchange ex) {
    String streamId = ex.path().substring(SUBSCRIBE.length());
    if (ex.method() != HttpMethod.GET) {
      refuse(ex, new Refusal(405, "method not allowed", "method_not_allowed"));
      return;
    }
    if (!svc.isKnown(streamId)) {
      refuse(ex, new Refusal(404, "stream not found", "unknown_stream"));
      return;
    }
    if (svc.isEnded(streamId)) {
      refuse(ex, new Refusal(410, "stream ended", "stream_ended"));
      return;
    }
    InetAddress ip = ex.remoteAddress().getAddress();
    if (!svc.admitIp(ip)) {
      refuse(ex, new Refusal(429, "too many subscriptions", "too_many_subscriptions"));
      return;
    }
    WidgetStream stream = svc.stream(streamId);
    if (stream.isFull()) {
      svc.releaseIp(ip);
      refuse(ex, new Refusal(503, "stream is full", "stream_full"));
      return;
    }
    ex.ctx().channel().closeFuture().addListener(f -> svc.releaseIp(ip));
    Long lastEventId = lastEventId(ex);
    String resumeToken = ex.query("token");
    boolean ws = ex.isWebSocketUpgrade();
    Viewer viewer = new Viewer(streamId, ip, !ws);
    ViewerChannel channel = new ViewerChannel(svc, stream, viewer, lastEventId, resumeToken);
    if (ws) {
      upgrader.upgrade(ex, new WebSocketSessionSpec(name(), List.of(), MAX_CLIENT_FRAME, MAX_CLIENT_FRAME, null,
          (p, session) -> {
            channel.bind(session);
            p.addFirst("widgets-idle", new ReadIdleHandler(svc.config.readIdleTimeout().toMillis()));
            p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, channel);
          }));
    } else {
      HttpHeaders cors = new DefaultHttpHeaders().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN,
          corsOrigin(ex, streamId));
      EventStreams.open(ex, cors, p -> p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, channel));
    }
  }

  /** {@code Last-Event-ID} or {@code last_event_id}; not an integer: ignored (§6). */
  private static Long lastEventId(HttpExchange ex) {
    String v = ex.header("Last-Event-ID");
    if (v == null) {
      v = ex.query("last_event_id");
    }
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.trim());
      return n < 0 ? null : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String corsOrigin(HttpExchange ex, String streamId) {
    String allowed = svc.corsOrigin(streamId, ex.header(HttpHeaderNames.ORIGIN));
    return allowed != null ? allowed : "*"; // the stream is open to read; publishing is what keys restrict
  }

  private void refuse(HttpExchange ex, Refusal r) {
    svc.outcomes.rejected(name(), r.reason);
    ex.respondJson(HttpResponseStatus.valueOf(r.status),
        "{\"code\":" + r.status + ",\"message\":" + Json.quote(r.getMessage()) + "}", ex.isWebSocketUpgrade());
  }

  /** {@code POST /admin/v1/widget-streams/{streamId}/end|start}. */
  private void admin(HttpExchange ex, boolean end) {
    String streamId = ex.path().substring("/admin/v1/widget-streams/".length()).split("/")[0];
    if (ex.method() != HttpMethod.POST) {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
      return;
    }
    if (!WidgetKey.STREAM_ID.matcher(streamId).matches()) {
      ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      return;
    }
    java.util.concurrent.CompletableFuture<Boolean> done = end ? svc.end(streamId) : svc.start(streamId);
    done.whenComplete((was, err) -> {
      if (err != null) {
        ex.respondJson(HttpResponseStatus.INTERNAL_SERVER_ERROR, Json.error("internal_error"));
      } else {
        ex.respondJson(HttpResponseStatus.OK, "{\"stream_id\":" + Json.quote(streamId) + ",\"status\":"
            + (end ? "\"ended\"" : "\"started\"") + ",\"changed\":" + was + "}");
      }
    });
  }
}
