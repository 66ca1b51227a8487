package io.switchboard.server.devices;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.codec.devices.CanonicalPayload;
import io.switchboard.codec.devices.CanonicalValue;
import io.switchboard.codec.devices.NonCanonicalValueException;
import io.switchboard.codec.devices.OutboundTooLargeException;
import io.switchboard.core.deadline.Outcome;
import io.switchboard.core.deadline.Refusal;
import io.switchboard.core.deadline.Registration;
import io.switchboard.core.stream.ChannelSubscriber;
import io.switchboard.core.stream.FrameShapes;
import io.switchboard.codec.sse.SseFrames;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.codec.websocket.WebSocketFrames;
import io.switchboard.server.http.EventStreams;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import io.switchboard.server.pipeline.HandlerNames;
import io.switchboard.server.websocket.WebSocketSessionSpec;
import io.switchboard.server.websocket.WebSocketUpgrader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Caller API (devices.md §5.7–§5.9, §8.5): send an action to a device and wait for its response, read a
 * device's state, follow the app's event feed over SSE or WebSocket with {@code Last-Event-ID} resume.
 */
final class CallerApi {
  static final String ACTIONS_PREFIX = "/api/v1/devices/";
  static final String EVENTS = "/api/v1/events";
  private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1,64}");
  private static final int GUESS_BUDGET = 5;
  private static final long GUESS_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final DevicesService svc;
  private final WebSocketUpgrader upgrader;
  /** Failed API-key attempts per client address: past a small budget, 401s are answered after a delay. */
  private final Map<String, ArrayDeque<Long>> failedAuth = new ConcurrentHashMap<>();

  CallerApi(DevicesService svc, WebSocketUpgrader upgrader) {
    this.svc = svc;
    this.upgrader = upgrader;
  }

  /** {@code /api/v1/devices/{id}} and {@code /api/v1/devices/{id}/actions}. */
  void devices(HttpExchange ex) {
    App app = authenticate(ex);
    if (app == null) {
      return;
    }
    String rest = ex.path().substring(ACTIONS_PREFIX.length());
    String[] parts = rest.split("/", -1);
    String deviceId = parts[0].toLowerCase(java.util.Locale.ROOT);
    if (!app.holds(deviceId) || parts.length > 2 || (parts.length == 2 && !"actions".equals(parts[1]))) {
      error(ex, HttpResponseStatus.NOT_FOUND, "unknown_device");
      return;
    }
    if (parts.length == 1 && ex.method() == HttpMethod.GET) {
      // The stored state is a prefix scan: read on the blocking pool; the answer is written from there.
      java.util.concurrent.CompletableFuture<List<DeviceStates.Entry>> read;
      try {
        read = svc.states.allAsync(deviceId, svc.blocking);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        read = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      read.whenComplete((entries, err) -> {
        if (err != null) {
          svc.log.warn("devices: reading the state of {} failed", deviceId, err);
          error(ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error");
        } else {
          ex.respondJson(HttpResponseStatus.OK, deviceJson(deviceId, entries));
        }
      });
    } else if (parts.length == 2 && ex.method() == HttpMethod.POST) {
      action(ex, app, deviceId);
    } else {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
    }
  }

  private void error(HttpExchange ex, HttpResponseStatus status, String code) {
    svc.outcomes.rejected(DevicesService.DIALECT, code);
    ex.respondError(status, code);
  }

  private App authenticate(HttpExchange ex) {
    App app = svc.apps.byApiKey(ex.bearerToken());
    if (app != null) {
      return app;
    }
    svc.outcomes.rejected(DevicesService.DIALECT, "unauthorized");
    String ip = ex.remoteAddress() == null ? "?" : ex.remoteAddress().getAddress().getHostAddress();
    if (failedAuth.size() > 10_000) { // bounded however many addresses guess: drop the quiet ones
      long cutoff = svc.ticker.getAsLong() - GUESS_WINDOW_NANOS;
      failedAuth.entrySet().removeIf(e -> {
        synchronized (e.getValue()) {
          return e.getValue().isEmpty() || e.getValue().peekLast() < cutoff;
        }
      });
    }
    ArrayDeque<Long> fails = failedAuth.computeIfAbsent(ip, k -> new ArrayDeque<>());
    int recent;
    long now = svc.ticker.getAsLong();
    synchronized (fails) {
      fails.addLast(now);
      while (!fails.isEmpty() && now - fails.peekFirst() > GUESS_WINDOW_NANOS) {
        fails.pollFirst();
      }
      recent = fails.size();
    }
    if (recent > GUESS_BUDGET) {
      // Guessing: each further attempt waits a second for its 401 (never blocking the loop).
      ex.ctx().executor().schedule(() -> ex.respondError(HttpResponseStatus.UNAUTHORIZED, "unauthorized"),
          1, TimeUnit.SECONDS);
    } else {
      ex.respondError(HttpResponseStatus.UNAUTHORIZED, "unauthorized");
    }
    return null;
  }

  /** The parsed body of an action request. */
  private record ActionRequest(String action, CanonicalValue value, String instanceId, String clientId,
      boolean module) {}

  private void action(HttpExchange ex, App app, String deviceId) {
    ByteBuf body = ex.body();
    if (body.readableBytes() > svc.config.callerMaxBodyBytes()) {
      error(ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
      return;
    }
    ActionRequest req;
    try {
      req = parse(body);
    } catch (IllegalArgumentException e) {
      svc.outcomes.rejected(DevicesService.DIALECT, "invalid_request");
      ex.respondJson(HttpResponseStatus.BAD_REQUEST,
          "{\"error\":\"invalid_request\",\"message\":" + Json.quote(e.getMessage()) + "}");
      return;
    }
    DeviceConnection c = svc.connections.holder(deviceId);
    if (c == null) {
      error(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "device_offline");
      return;
    }
    String replyToken = UUID.randomUUID().toString();
    CanonicalPayload payload = CanonicalPayload.builder().action(req.action()).clientId(req.clientId())
        .createdAt(svc.clock.millis() / 1000).deviceAttributes(true).deviceId(req.module() ? null : deviceId)
        .instanceId(req.instanceId()).replyToken(replyToken).scope(req.module() ? "module" : null).type("request")
        .value(req.value()).build();
    ByteBuf frame;
    try {
      frame = svc.requestFrame(ex.ctx().alloc(), c, payload);
    } catch (OutboundTooLargeException e) {
      error(ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
      return;
    }
    DeviceRequests.Pending pending = new DeviceRequests.Pending(app.appKey(), req.module() ? null : deviceId,
        req.action(), req.instanceId(), c);
    Registration reg = svc.requests.register(replyToken, svc.config.replyDeadline(), pending, ex.ctx().executor(),
        r -> resolved(ex, deviceId, replyToken, r.outcome(), r.failure(), r.reply(), r.elapsedNanos()));
    if (!reg.accepted()) {
      frame.release();
      if (reg.refusal() == Refusal.TOO_MANY_IN_GROUP || reg.refusal() == Refusal.TOO_MANY_PENDING) {
        svc.outcomes.rejected(DevicesService.DIALECT, "too_many_pending");
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TOO_MANY_REQUESTS,
            ByteBufUtil.writeUtf8(ex.ctx().alloc(), Json.error("too_many_pending")));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").set(HttpHeaderNames.RETRY_AFTER, "1");
        ex.respond(r, false);
      } else {
        error(ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error");
      }
      return;
    }
    c.send(frame);
    if (!c.isOpen()) {
      // Closed between the lookup and the registration: its close already failed the pending requests it had.
      svc.requests.connectionClosed(c);
    }
  }

  private void resolved(HttpExchange ex, String deviceId, String replyToken, Outcome outcome, String failure,
      String reply, long elapsedNanos) {
    if (outcome == Outcome.COMPLETED) {
      ex.respondJson(HttpResponseStatus.OK, reply);
      return;
    }
    if (outcome == Outcome.FAILED && DeviceRequests.STORE_FAILURE.equals(failure)) {
      error(ex, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error");
      return;
    }
    if (outcome == Outcome.TIMED_OUT) {
      svc.deadlineFired.record(elapsedNanos, TimeUnit.NANOSECONDS);
      svc.log.info("devices: request {} to {} timed out; deadline fired {} ms after acceptance", replyToken,
          deviceId, String.format(java.util.Locale.ROOT, "%.3f", elapsedNanos / 1e6));
    }
    error(ex, HttpResponseStatus.GATEWAY_TIMEOUT, "device_unresponsive");
  }

  private ActionRequest parse(ByteBuf body) {
    try (JsonParser p = Json.FACTORY.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("body: expected a JSON object");
      }
      String action = null;
      CanonicalValue value = null;
      String instanceId = null;
      String clientId = null;
      String scope = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "action" -> action = string(p, t, name);
          case "instanceId" -> instanceId = string(p, t, name);
          case "clientId" -> clientId = string(p, t, name);
          case "scope" -> scope = string(p, t, name);
          case "value" -> {
            if (t != JsonToken.START_OBJECT) {
              throw new IllegalArgumentException("value: expected an object");
            }
            value = CanonicalValue.read(p);
          }
          default -> throw new IllegalArgumentException(name + ": unknown field");
        }
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("body: trailing data after the object");
      }
      if (action == null || !ACTION.matcher(action).matches()) {
        throw new IllegalArgumentException("action: required, 1-64 characters of [A-Za-z0-9_]");
      }
      if (value == null) {
        throw new IllegalArgumentException("value: required (an object, {} allowed)");
      }
      if (instanceId != null && !PRINTABLE.matcher(instanceId).matches()) {
        throw new IllegalArgumentException("instanceId: 1-64 printable ASCII characters");
      }
      if (clientId == null) {
        clientId = svc.config.defaultClientId();
      } else if (!PRINTABLE.matcher(clientId).matches()) {
        throw new IllegalArgumentException("clientId: 1-64 printable ASCII characters");
      }
      if (scope != null && !scope.equals("device") && !scope.equals("module")) {
        throw new IllegalArgumentException("scope: \"device\" or \"module\"");
      }
      return new ActionRequest(action, value, instanceId, clientId, "module".equals(scope));
    } catch (NonCanonicalValueException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("body: not valid JSON");
    }
  }

  private static String string(JsonParser p, JsonToken t, String name) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(name + ": expected a string");
    }
    return p.getText();
  }

  private String deviceJson(String deviceId, List<DeviceStates.Entry> entries) {
    DeviceConnection c = svc.connections.holder(deviceId);
    StringBuilder sb = new StringBuilder("{\"deviceId\":").append(Json.quote(deviceId))
        .append(",\"online\":").append(c != null);
    Long seen = c != null ? Long.valueOf(c.lastSeenMillis) : svc.lastSeenOffline(deviceId);
    sb.append(",\"lastSeen\":").append(seen == null ? "null" : Json.quote(Instant.ofEpochMilli(seen).toString()));
    if (c == null) {
      sb.append(",\"connection\":null");
    } else {
      sb.append(",\"connection\":{\"platform\":").append(quoteOrNull(c.platform))
          .append(",\"sdkVersion\":").append(quoteOrNull(c.sdkVersion))
          .append(",\"firmwareVersion\":").append(quoteOrNull(c.firmwareVersion))
          .append(",\"connectedAt\":").append(Json.quote(c.connectedAt.toString())).append('}');
    }
    sb.append(",\"state\":[");
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(entries.get(i).json());
    }
    return sb.append("]}").toString();
  }

  private static String quoteOrNull(String s) {
    return s == null ? "null" : Json.quote(s);
  }

  /** {@code GET /api/v1/events}: SSE, or WebSocket when an upgrade is asked for. */
  void events(HttpExchange ex) {
    App app = authenticate(ex);
    if (app == null) {
      return;
    }
    long after = lastEventId(ex);
    io.switchboard.core.stream.Stream stream = svc.feed.stream(app.appKey());
    if (ex.isWebSocketUpgrade()) {
      upgrader.upgrade(ex, new WebSocketSessionSpec(DevicesService.DIALECT, List.of(), 1 << 10, 1 << 10, null,
          (p, session) -> {
            ChannelSubscriber sub = session.framesFromControl(new ChannelSubscriber(stream, FrameShapes.WS_TEXT,
                c -> session.fail(CloseCodes.POLICY, "slow consumer")));
            p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, new FeedSocketHandler(session,
                svc.config.feedHeartbeat().toMillis(), () -> replay(p.channel().alloc(), app, after, sub, true)));
            p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SUBSCRIBER, sub);
          }));
      return;
    }
    EventStreams.open(ex, p -> {
      ChannelSubscriber sub = new ChannelSubscriber(stream, FrameShapes.SSE, c -> c.close());
      p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SUBSCRIBER, sub);
      long beat = svc.config.feedHeartbeat().toMillis();
      io.netty.channel.Channel ch = p.channel();
      var heartbeat = ch.eventLoop().scheduleAtFixedRate(() -> {
        if (ch.isActive()) {
          ch.writeAndFlush(SseFrames.comment(ch.alloc(), "keepalive"), ch.voidPromise());
        }
      }, beat, beat, TimeUnit.MILLISECONDS);
      ch.closeFuture().addListener(f -> heartbeat.cancel(false));
      replay(ch.alloc(), app, after, sub, false);
    });
  }

  /** Writes retained items after {@code after} (subscribed already, so nothing falls between backlog and live). */
  private void replay(io.netty.buffer.ByteBufAllocator alloc, App app, long after, ChannelSubscriber sub,
      boolean webSocket) {
    if (after < 0) {
      return;
    }
    long last = svc.feed.backlog(app.appKey(), after, (seq, json) -> {
      ByteBuf payload = io.netty.buffer.Unpooled.wrappedBuffer(json);
      ByteBuf frame = webSocket ? WebSocketFrames.text(alloc, payload) : SseFrames.event(alloc, seq, null, payload);
      sub.onFrame(frame, seq);
    });
    sub.onBatchEnd();
    sub.skipThrough(last);
  }

  private static long lastEventId(HttpExchange ex) {
    String v = ex.header("Last-Event-ID");
    if (v == null) {
      v = ex.query("lastEventId");
    }
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
