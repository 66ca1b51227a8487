package io.switchboard.server.devices;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.codec.auth.HmacSha256;
import io.switchboard.codec.auth.SignatureBase64;
import io.switchboard.codec.json.JsonScanException;
import io.switchboard.codec.json.JsonScanner;
import io.switchboard.codec.json.ScanResult;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.codec.websocket.ControlFrameHandler.PeerActivity;
import io.switchboard.codec.websocket.WebSocketFrames;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.server.websocket.WebSocketOpened;
import io.switchboard.server.websocket.WebSocketSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One device connection (devices.md §2.3–§5): sends the timestamp frame, verifies every inbound message over the
 * frame's own bytes (scan, HMAC over the raw {@code payload} span, createdAt window, replay, device ownership),
 * then routes responses to their pending requests and events to state and the app's feed. Rejected messages are
 * dropped silently, counted, logged to the app's activity log, and charged to the failure budget.
 *
 * <p>Lives on its channel's event loop; only {@link #send} and {@link #closeReplaced} are called from elsewhere.
 */
final class DeviceConnection extends ChannelInboundHandlerAdapter {
  private final DevicesService svc;
  private final App app;
  private final Set<String> deviceIds;
  final String platform;
  final String sdkVersion;
  final String firmwareVersion;
  private final boolean restoreRequested;
  private final String remote;
  private final boolean nodeJs;
  /** The current frame's scan (this loop's shared result; read only while the frame is handled). */
  private ScanResult scan;
  private final ArrayDeque<Long> failures = new ArrayDeque<>();
  private final EventRateLimiter rateLimiter;
  private final byte[] mac = new byte[HmacSha256.LENGTH];
  private WebSocketSession session;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> pinger;
  volatile Instant connectedAt;
  volatile long lastSeenMillis;
  private volatile String closeReason = "closed";
  private boolean registered;

  DeviceConnection(DevicesService svc, App app, Set<String> deviceIds, String platform, String sdkVersion,
      String firmwareVersion, boolean restoreRequested, String remote) {
    this.svc = svc;
    this.app = app;
    this.deviceIds = deviceIds;
    this.platform = platform;
    this.sdkVersion = sdkVersion;
    this.firmwareVersion = firmwareVersion;
    this.restoreRequested = restoreRequested;
    this.remote = remote;
    this.nodeJs = "nodejs".equalsIgnoreCase(platform);
    this.rateLimiter = new EventRateLimiter(svc.config.rateTolerance(),
        Math.max(svc.config.sensorInterval().toNanos(), svc.config.stateInterval().toNanos()));
  }

  void bind(WebSocketSession s) {
    this.session = s;
  }

  App app() {
    return app;
  }

  Set<String> deviceIds() {
    return deviceIds;
  }

  boolean isPython() {
    return "python".equalsIgnoreCase(platform);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketOpened) {
      opened();
    } else if (evt instanceof IdleStateEvent e && e.state() == io.netty.handler.timeout.IdleState.READER_IDLE) {
      closeReason = "idle_timeout";
      session.fail(CloseCodes.IDLE_TIMEOUT, "idle timeout");
    } else if (evt == PeerActivity.PONG) {
      lastSeenMillis = svc.clock.millis();
    }
    super.userEventTriggered(ctx, evt);
  }

  private void opened() {
    long now = svc.clock.millis();
    connectedAt = Instant.ofEpochMilli(now);
    lastSeenMillis = now;
    // First frame, before anything else: the ESP sends nothing until it has it (§2.3, §5.1).
    ctx.writeAndFlush(WebSocketFrames.text(ctx.alloc(),
        io.netty.buffer.Unpooled.copiedBuffer("{\"timestamp\":" + now / 1000 + "}", StandardCharsets.US_ASCII)),
        ctx.voidPromise());
    svc.connections.register(this);
    registered = true;
    long pingMillis = svc.config.pingInterval().toMillis();
    pinger = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(
        new io.netty.handler.codec.http.websocketx.PingWebSocketFrame(), ctx.voidPromise()),
        pingMillis, pingMillis, TimeUnit.MILLISECONDS);
    for (String d : deviceIds) {
      svc.feedOnline(app, d, this);
    }
    if (restoreRequested || !app.restoreDeviceIds().isEmpty()) {
      svc.restore(this, restoreRequested);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pinger != null) {
      pinger.cancel(false);
    }
    if (registered) {
      svc.connections.unregister(this, closeReason);
    }
    int code = session == null ? -1 : session.brokerCloseCode();
    if (code != -1 && code != CloseCodes.TOO_MANY_INVALID && code != CloseCodes.REPLACED) {
      // Every broker-initiated close reaches the app's activity log (4008 and 4009 were logged with their cause).
      svc.activity.add(app.appKey(), "connection_closed", String.valueOf(code), null, remote, platform,
          "closed by the broker with " + code);
    }
    super.channelInactive(ctx);
  }

  /** Closes this connection because a newer one took (some of) its devices. Any thread. */
  void closeReplaced() {
    closeReason = "replaced";
    session.close(CloseCodes.REPLACED, "replaced by a newer connection");
  }

  /** Marks the connection as ending because of shutdown (for the feed's offline reason). */
  void draining() {
    closeReason = "shutdown";
  }

  /** Whether the socket is still open. Any thread. */
  boolean isOpen() {
    return ctx != null && ctx.channel().isActive();
  }

  /** Writes a broker-built frame (a signed request); takes ownership. Any thread. */
  void send(ByteBuf textFrame) {
    if (ctx.executor().inEventLoop()) {
      ctx.writeAndFlush(textFrame, ctx.voidPromise());
    } else {
      try {
        ctx.executor().execute(() -> ctx.writeAndFlush(textFrame, ctx.voidPromise()));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        textFrame.release(); // the loop is shutting down, and the connection with it
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastSeenMillis = svc.clock.millis();
    if (msg instanceof TextWebSocketFrame f) {
      try {
        onMessage(f.content());
      } finally {
        f.release();
      }
    } else if (msg instanceof BinaryWebSocketFrame) {
      ReferenceCountUtil.release(msg);
      closeReason = "closed";
      session.fail(CloseCodes.UNSUPPORTED_DATA, "binary frames are not accepted");
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onMessage(ByteBuf frame) {
    DeviceFrame f = svc.frame;
    JsonScanner scanner = svc.scanner;
    scan = f.threadResult();
    try {
      scanner.scan(frame, scan);
    } catch (JsonScanException e) {
      reject(Reason.MALFORMED, null, e.getMessage());
      return;
    }
    if (!scan.present(f.payload) || scan.kind(f.payload) != io.switchboard.codec.json.JsonKind.OBJECT) {
      reject(Reason.MALFORMED, null, "payload is missing or not an object");
      return;
    }
    if (!isLong(f.payloadVersion, 2) || !isLong(f.signatureVersion, 1)) {
      reject(Reason.UNSUPPORTED_VERSION, null, null);
      return;
    }
    String deviceId = scan.present(f.deviceId) ? lower(scan.text(f.deviceId)) : null;
    if (!scan.present(f.hmac) || scan.kind(f.hmac) != io.switchboard.codec.json.JsonKind.STRING
        || scan.textTooLong(f.hmac) || !SignatureBase64.decode(scan.textView(f.hmac), mac)) {
      reject(Reason.MISSING_SIGNATURE, deviceId, null);
      return;
    }
    int spanStart = frame.readerIndex() + scan.start(f.payload);
    int spanLength = scan.length(f.payload);
    String type = scan.present(f.type) ? scan.text(f.type) : null;
    String replyToken = scan.present(f.replyToken) ? scan.text(f.replyToken) : null;
    boolean viaFallback = false;
    if (!HmacSha256.verify(app.appSecret(), frame, spanStart, spanLength, mac)) {
      if (!instanceIdFallback(frame, type, replyToken)) {
        reject(Reason.BAD_SIGNATURE, deviceId, null);
        return;
      }
      viaFallback = true;
    }
    String action = scan.present(f.action) ? scan.text(f.action) : null;
    boolean timestampRequest = "request".equals(type) && "getTimestamp".equals(action);
    long nowSeconds = svc.clock.millis() / 1000;
    if (!timestampRequest) {
      if (!scan.present(f.createdAt) || !scan.isLong(f.createdAt)) {
        reject(Reason.STALE_TIMESTAMP, deviceId, "createdAt is missing or not an integer");
        return;
      }
      long createdAt = scan.longValue(f.createdAt);
      long skew = createdAt - nowSeconds;
      if (Math.abs(skew) > svc.config.verifyWindow().toSeconds()) {
        reject(Reason.STALE_TIMESTAMP, deviceId, "createdAt " + createdAt + " is " + Math.abs(skew) + " s "
            + (skew < 0 ? "behind" : "ahead of") + " broker time " + nowSeconds + "; window is "
            + svc.config.verifyWindow().toSeconds() + " s");
        return;
      }
    }
    String scopeText = scan.present(f.scope) ? scan.text(f.scope) : null;
    if (deviceId != null && !deviceIds.contains(deviceId)) {
      reject(Reason.FOREIGN_DEVICE, deviceId, null);
      return;
    }
    if (deviceId == null && !"module".equals(scopeText)) {
      reject(Reason.MISSING_DEVICE_ID, null, null);
      return;
    }
    if (viaFallback) {
      svc.instanceIdFallbacks.increment();
    }
    ReplayKey replayKey = replyToken != null
        ? svc.replayKey(app.appKey(), deviceId, type, replyToken)
        : svc.replayKey(app.appKey(), mac);
    // Step 7 (replay) comes before dispatch and the event rate limit. The key is claimed while its message is in
    // flight, so a copy arriving meanwhile is refused too; a filter of recent keys, then (when the key may have been
    // seen) a point read answer the rest.
    if (!svc.claimIfNew(replayKey)) {
      reject(Reason.REPLAY, deviceId, null);
      return;
    }
    boolean committing = false;
    try {
      if ("response".equals(type)) {
        committing = onResponse(frame, deviceId, action, replyToken, replayKey);
      } else if ("event".equals(type)) {
        committing = onEvent(frame, deviceId, action, replayKey);
      } else if (timestampRequest) {
        committing = onTimestampRequest(deviceId, replyToken, replayKey);
      } else {
        reject(Reason.UNSUPPORTED_MESSAGE, deviceId, "type " + type + (action == null ? "" : " action " + action));
      }
    } finally {
      if (!committing) {
        svc.releaseReplayKey(replayKey); // dropped: nothing will store the key
      }
    }
  }

  private boolean isLong(int slot, long expected) {
    return scan.present(slot) && scan.isLong(slot) && scan.longValue(slot) == expected;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
  }

  /** §3.4: a Node.js response signed before {@code instanceId} was appended to its payload. */
  private boolean instanceIdFallback(ByteBuf frame, String type, String replyToken) {
    DeviceFrame f = svc.frame;
    if (!nodeJs || !"response".equals(type) || replyToken == null) {
      return false;
    }
    String expected = svc.requests.instanceIdOf(replyToken);
    if (expected == null || !"instanceId".equals(scan.lastMemberName(f.payload)) || !scan.present(f.instanceId)
        || !expected.equals(scan.text(f.instanceId))) {
      return false;
    }
    int payloadStart = frame.readerIndex() + scan.start(f.payload);
    int comma = frame.readerIndex() + scan.lastMemberComma(f.payload);
    int end = frame.readerIndex() + scan.end(f.payload); // exclusive: just after '}'
    byte[] tail = (",\"instanceId\":" + io.switchboard.server.http.Json.quote(expected) + "}")
        .getBytes(StandardCharsets.UTF_8);
    if (end - comma != tail.length) {
      return false;
    }
    for (int i = 0; i < tail.length; i++) {
      if (frame.getByte(comma + i) != tail[i]) {
        return false;
      }
    }
    return HmacSha256.verifyWithSuffix(app.appSecret(), frame, payloadStart, comma - payloadStart, (byte) '}', mac);
  }

  private String valueJson(ByteBuf frame) {
    DeviceFrame f = svc.frame;
    if (!scan.present(f.value) || scan.kind(f.value) != io.switchboard.codec.json.JsonKind.OBJECT) {
      return "{}";
    }
    // The value goes to the caller and the store as the device wrote it: copied once, off the signed path.
    return frame.toString(frame.readerIndex() + scan.start(f.value), scan.length(f.value), StandardCharsets.UTF_8);
  }

  /** Returns whether it queued the commit that stores {@code replayKey} (and releases its claim). */
  private boolean onResponse(ByteBuf frame, String deviceId, String action, String replyToken, ReplayKey replayKey) {
    DeviceFrame f = svc.frame;
    if (replyToken == null) {
      reject(Reason.UNMATCHED_RESPONSE, deviceId, "response without replyToken");
      return false;
    }
    DeviceRequests.Pending pending = svc.requests.pending(replyToken);
    if (pending == null) {
      // Counted by the pending table as late (timed out, remembered for a while) or unmatched.
      reject(svc.requests.lateOrUnmatched(replyToken) ? Reason.LATE_RESPONSE : Reason.UNMATCHED_RESPONSE, deviceId,
          null);
      return false;
    }
    if (pending.connection() != this || !java.util.Objects.equals(pending.deviceId(), deviceId)) {
      reject(Reason.UNMATCHED_RESPONSE, deviceId, "replyToken belongs to another device or connection");
      return false;
    }
    if (action != null && !action.equals(pending.action())) {
      svc.actionMismatches.increment();
    }
    boolean success = scan.present(f.success) && scan.kind(f.success) == io.switchboard.codec.json.JsonKind.TRUE;
    String message = scan.present(f.message) && scan.kind(f.message) == io.switchboard.codec.json.JsonKind.STRING
        ? scan.text(f.message) : "";
    String value = valueJson(frame);
    String instanceId = scan.present(f.instanceId) ? scan.text(f.instanceId) : pending.instanceId();
    String clientId = scan.present(f.clientId) ? scan.text(f.clientId) : null;
    Instant at = Instant.ofEpochMilli(svc.clock.millis());
    WriteBatch batch = svc.replayBatch(replayKey);
    if (success && !"{}".equals(value) && deviceId != null) {
      DeviceStates.put(batch, deviceId, pending.action(), instanceId, value, "response", at);
    }
    String reply = "{\"success\":" + success + ",\"message\":" + io.switchboard.server.http.Json.quote(message)
        + ",\"value\":" + value + "}";
    svc.feed.append(app.appKey(), batch, seq -> DevicesService.responseItem(seq, deviceId, action, clientId,
            replyToken, success, message, value, instanceId, at), applied -> {
          // On the store's writer, once the response's writes are visible, before their fsync: the reply carries what
          // the device answered, and the stored state is the broker's copy of it, so the caller waits for
          // read-your-writes (a state read after the 200 sees the new state), not for durability. The feed item is
          // still published only once durable. The pending table is thread-safe and hands the answer to the
          // caller's loop, so the device's loop is visited only for a rejection.
          if (!svc.requests.complete(replyToken, reply)) {
            ctx.executor().execute(() -> reject(Reason.LATE_RESPONSE, deviceId,
                "the response's write was applied after the deadline"));
          }
        })
        .whenComplete((result, err) -> {
          svc.releaseReplayKey(replayKey);
          if (err != null) {
            // Not stored, so not delivered: the caller learns it now (500), rather than at the deadline (§8.5). When
            // the write was applied and only its fsync failed, the caller has its answer already; this does nothing.
            svc.log.warn("devices: storing a response of {} failed", deviceId, err);
            svc.requests.storeFailed(replyToken);
          }
        });
    return true;
  }

  /** Returns whether it queued the commit that stores {@code replayKey} (and releases its claim). */
  private boolean onEvent(ByteBuf frame, String deviceId, String action, ReplayKey replayKey) {
    DeviceFrame f = svc.frame;
    String instanceId = scan.present(f.instanceId) ? scan.text(f.instanceId) : null;
    String rateKey = (deviceId != null ? deviceId : "module") + '\u0000' + action + '\u0000' + instanceId;
    long interval = (svc.config.sensorActions().contains(action) ? svc.config.sensorInterval()
        : svc.config.stateInterval()).toNanos();
    if (!rateLimiter.tryAccept(rateKey, interval, svc.ticker.getAsLong())) {
      reject(Reason.RATE_LIMITED, deviceId, action);
      return false;
    }
    String value = valueJson(frame);
    String cause = scan.present(f.causeType) ? scan.text(f.causeType) : null;
    long createdAt = scan.longValue(f.createdAt);
    Instant at = Instant.ofEpochMilli(svc.clock.millis());
    WriteBatch batch = svc.replayBatch(replayKey);
    if (deviceId != null && action != null) {
      DeviceStates.put(batch, deviceId, action, instanceId, value, "event", at);
    }
    String scopeText = scan.present(f.scope) ? scan.text(f.scope) : null;
    svc.feed.append(app.appKey(), batch, seq -> DevicesService.eventItem(seq, deviceId, action, value, cause,
            createdAt, instanceId, scopeText, at))
        .whenComplete((result, err) -> {
          svc.releaseReplayKey(replayKey);
          if (err != null) {
            svc.log.warn("devices: storing an event of {} failed", deviceId, err);
          } else {
            svc.eventsAccepted.increment();
          }
        });
    return true;
  }

  /** Returns whether it queued the commit that stores {@code replayKey} (and releases its claim). */
  private boolean onTimestampRequest(String deviceId, String replyToken, ReplayKey replayKey) {
    svc.store.commit(svc.replayBatch(replayKey))
        .whenComplete((result, err) -> {
          svc.releaseReplayKey(replayKey);
          if (err == null) {
            ctx.executor().execute(() -> send(svc.timestampResponse(this, replyToken)));
          }
        });
    return true;
  }

  /** Drops a message: counted, logged to the app's activity log, charged to the failure budget (F reasons). */
  void reject(Reason reason, String deviceId, String detail) {
    svc.outcomes.rejected(DevicesService.DIALECT, reason.metric);
    svc.activity.add(app.appKey(), "message_rejected", reason.metric, deviceId, remote, platform, detail);
    if (!reason.countsAsFailure) {
      return;
    }
    long now = svc.ticker.getAsLong();
    failures.addLast(now);
    long window = svc.config.failureWindow().toNanos();
    while (!failures.isEmpty() && now - failures.peekFirst() > window) {
      failures.pollFirst();
    }
    if (failures.size() >= svc.config.maxFailures() && !session.isClosing()) {
      closeReason = "verification_failures";
      svc.activity.add(app.appKey(), "connection_closed", "too_many_invalid_messages", null, remote, platform,
          failures.size() + " invalid messages within " + svc.config.failureWindow().toSeconds() + " s");
      session.close(CloseCodes.TOO_MANY_INVALID, "too many invalid messages");
    }
  }

  String remote() {
    return remote;
  }
}
