package io.switchboard.server.devices;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.devices.CanonicalPayload;
import io.switchboard.codec.devices.CanonicalValue;
import io.switchboard.codec.devices.DeviceMessageSigner;
import io.switchboard.codec.devices.StringEscaping;
import io.switchboard.codec.json.JsonScanner;
import io.switchboard.codec.websocket.WebSocketFrames;
import io.switchboard.core.BrokerContext;
import io.switchboard.core.config.DevicesConfig;
import io.switchboard.core.deadline.DeadlineTimer;
import io.switchboard.core.metrics.Outcomes;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.server.http.Json;
import io.switchboard.server.http.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices dialect's shared state for one broker: apps, connections, pending requests, state, feed, activity
 * log and the hot-path tools (scanner, signer). Everything here is thread-safe; per-connection state lives in
 * {@link DeviceConnection}.
 */
final class DevicesService {
  static final String DIALECT = "devices";
  /** Every replay key starts with this ({@link #replayKey}). */
  private static final byte[] REPLAY_PREFIX = Keys.utf8("dev/replay/");
  /** A replay key's value: only its presence counts (shared; the store never modifies a value). */
  private static final byte[] NO_VALUE = new byte[0];
  final Logger log = LoggerFactory.getLogger(DevicesService.class);

  final DevicesConfig config;
  private final long replayKeepMillis;
  final Clock clock;
  final LongSupplier ticker = System::nanoTime;
  final Store store;
  /** The broker's blocking pool: stored device state is read there (a prefix scan), never on an event loop. */
  final java.util.concurrent.Executor blocking;
  final Outcomes outcomes;
  final AppDirectory apps;
  final DeviceConnections connections;
  final DeviceRequests requests;
  final DeviceStates states;
  final DeviceFeed feed;
  final ActivityLog activity;
  final DeviceFrame frame = new DeviceFrame();
  final JsonScanner scanner;
  final DeviceMessageSigner signer;
  final DeadlineTimer timer;
  final Counter replaced;
  final Counter instanceIdFallbacks;
  final Counter actionMismatches;
  final Counter eventsAccepted;
  /** Replay keys committed within the window, so most fresh messages skip step 7's store read. */
  final RecentReplayKeys replays;
  /** Replay keys between step 7 and their commit (see {@link #claimIfNew}). */
  final ReplayKeysInFlight replaysInFlight = new ReplayKeysInFlight();
  final Counter replayReadsSkipped;
  /** When reply deadlines actually fired, measured by the broker from acceptance (the spec's 8.00–8.05 s). */
  final io.micrometer.core.instrument.Timer deadlineFired;
  private final Map<String, Long> lastSeenOffline = new ConcurrentHashMap<>();

  DevicesService(BrokerContext broker, AppDirectory apps) {
    this.config = broker.config().devices();
    this.replayKeepMillis = config.verifyWindow().toMillis() * 2;
    this.clock = broker.clock();
    this.store = broker.store();
    this.blocking = broker.blocking();
    this.outcomes = broker.outcomes();
    this.apps = apps;
    MeterRegistry meters = broker.meters();
    this.timer = DeadlineTimer.start("switchboard-devices-deadlines");
    this.requests = new DeviceRequests(timer, config.maxPendingTotal(), config.maxPendingPerDevice(),
        java.time.Duration.ofMillis(replayKeepMillis), meters);
    this.connections = new DeviceConnections(this);
    this.states = new DeviceStates(store);
    this.feed = new DeviceFeed(store, broker.streams(), config.feedRetainItems(), config.feedSubscriberQueue());
    this.activity = new ActivityLog(clock, config.activityLogMaxEntries());
    this.scanner = new JsonScanner(DeviceFrame.limits(config));
    this.signer = new DeviceMessageSigner(config.maxOutboundBytes());
    this.replaced = Counter.builder("switchboard.devices.replaced").description("Device connections replaced")
        .register(meters);
    this.instanceIdFallbacks = Counter.builder("switchboard.devices.instanceid.fallback")
        .description("Node.js responses accepted by the instanceId fallback").register(meters);
    this.actionMismatches = Counter.builder("switchboard.devices.action.mismatch")
        .description("Responses naming another action than their request").register(meters);
    this.deadlineFired = io.micrometer.core.instrument.Timer.builder("switchboard.devices.deadline.fired")
        .description("Time from accepting a Caller API request to its reply deadline firing")
        .register(meters);
    this.eventsAccepted = Counter.builder("switchboard.devices.events.accepted")
        .description("Device events verified, stored and fanned out").register(meters);
    this.replays = new RecentReplayKeys(replayKeepMillis, clock::millis);
    // Keys stored by an earlier run are still replays: remembered before the first connection is accepted.
    store.scanPrefix(REPLAY_PREFIX, false, (key, value) -> {
      replays.add(key);
      return true;
    });
    this.replayReadsSkipped = Counter.builder("switchboard.devices.replay.reads.skipped")
        .description("Messages whose replay key was certainly new, so step 7 did not read the store")
        .register(meters);
    io.micrometer.core.instrument.Gauge.builder("switchboard.devices.replay.inflight", replaysInFlight,
            ReplayKeysInFlight::size)
        .description("Device messages between their replay check and the commit of their replay key")
        .register(meters);
  }

  void stop() {
    timer.close();
  }

  /**
   * Until when a message's replay key is kept: twice the verify window, rounded up to a whole second so that a
   * round's replay keys share one expiry-index entry (up to 1 s longer).
   */
  java.time.Instant replayExpiry() {
    return WriteBatch.groupableExpiry(Instant.ofEpochMilli(clock.millis() + replayKeepMillis));
  }

  /**
   * Step 7 (§3.2): whether {@code key} is new. A new key is {@link ReplayKeysInFlight#claim claimed} for the caller,
   * who ends the claim with {@link #releaseReplayKey} once the commit that stores it ({@link #replayBatch}) has
   * completed, or at once when the message is dropped before that commit.
   */
  boolean claimIfNew(ReplayKey key) {
    if (!replaysInFlight.claim(key)) {
      return false; // a copy is in flight
    }
    boolean seen;
    try {
      seen = seenBefore(key);
    } catch (RuntimeException e) {
      replaysInFlight.release(key); // the store failed: no claim may outlive its message
      throw e;
    }
    if (seen) {
      replaysInFlight.release(key);
      return false;
    }
    return true;
  }

  /** Ends the claim of {@link #claimIfNew}. */
  void releaseReplayKey(ReplayKey key) {
    replaysInFlight.release(key);
  }

  /**
   * The batch that stores a {@link #claimIfNew claimed} key; the key is remembered in {@link #replays} before the
   * commit is queued. No condition: the claim already makes the check and this write atomic.
   */
  WriteBatch replayBatch(ReplayKey key) {
    replays.add(key.hash());
    return new WriteBatch().putNew(key.bytes(), NO_VALUE, replayExpiry());
  }

  /** Whether {@code key} is stored; the store is read only when the key may have been seen. */
  private boolean seenBefore(ReplayKey key) {
    if (!replays.mayContain(key.hash())) {
      replayReadsSkipped.increment();
      return false;
    }
    return store.get(key.bytes()) != null;
  }

  ReplayKey replayKey(String appKey, String deviceId, String type, String replyToken) {
    return new ReplayKey(
        Keys.of("dev", "replay", appKey, deviceId == null ? "-" : deviceId, String.valueOf(type), replyToken));
  }

  ReplayKey replayKey(String appKey, byte[] hmac) {
    return new ReplayKey(Keys.of("dev", "replay", appKey, "hmac", Base64.getEncoder().encodeToString(hmac)));
  }

  static StringEscaping escapingFor(DeviceConnection c) {
    return StringEscaping.forPlatform(c.platform);
  }

  /** A signed request for {@code c}'s platform, as one WebSocket text frame (caller owns it). */
  ByteBuf requestFrame(ByteBufAllocator alloc, DeviceConnection c, CanonicalPayload payload) {
    ByteBuf json = signer.sign(alloc, c.app().appSecret(), payload, escapingFor(c));
    try {
      return WebSocketFrames.text(alloc, json);
    } finally {
      json.release();
    }
  }

  /** The broker's answer to a device's getTimestamp request (devices.md §5.5). */
  ByteBuf timestampResponse(DeviceConnection c, String replyToken) {
    long now = clock.millis() / 1000;
    CanonicalPayload p = CanonicalPayload.builder().action("getTimestamp").createdAt(now).replyToken(replyToken)
        .type("response").value(CanonicalValue.of(Map.of("timestamp", now))).build();
    return requestFrame(ByteBufAllocator.DEFAULT, c, p);
  }

  /**
   * Restores stored states to {@code c}'s devices (§5.6): one ordinary signed request per entry, oldest first. The
   * states are read on the blocking pool; the requests then go out in order (sends hop to the connection's loop).
   */
  void restore(DeviceConnection c, boolean allDevices) {
    List<String> devices = new ArrayList<>();
    for (String d : c.deviceIds()) {
      if (allDevices || c.app().restoreDeviceIds().contains(d)) {
        devices.add(d);
      }
    }
    if (devices.isEmpty()) {
      return;
    }
    try {
      restoreOffLoop(c, devices);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.warn("devices: the blocking pool refused restoring the states of {}", devices);
    }
  }

  private void restoreOffLoop(DeviceConnection c, List<String> devices) {
    CompletableFuture.runAsync(() -> {
      for (String d : devices) {
        if (!c.isOpen()) {
          break;
        }
        restore(c, d, states.all(d));
      }
      if (!c.isOpen()) {
        requests.connectionClosed(c); // closed while restoring: what was registered for it fails at once
      }
    }, blocking).exceptionally(e -> {
      log.warn("devices: restoring the stored states of {} failed", devices, e);
      return null;
    });
  }

  private void restore(DeviceConnection c, String d, List<DeviceStates.Entry> entries) {
    for (DeviceStates.Entry e : entries) {
      if (!config.restoreActions().contains(e.action())) {
        continue;
      }
      String replyToken = UUID.randomUUID().toString();
      CanonicalPayload p = CanonicalPayload.builder().action(e.action()).clientId("portal")
          .createdAt(clock.millis() / 1000).deviceAttributes(true).deviceId(d).instanceId(e.instanceId())
          .replyToken(replyToken).type("request").value(CanonicalValue.parse(e.valueJson()))
          .build();
      // Pending like a Caller API request, so the device's response is handled as in §5.3; nobody waits on it.
      requests.register(replyToken, config.replyDeadline(),
          new DeviceRequests.Pending(c.app().appKey(), d, e.action(), e.instanceId(), c), Runnable::run, r -> { });
      c.send(requestFrame(ByteBufAllocator.DEFAULT, c, p));
    }
  }

  void feedOnline(App app, String deviceId, DeviceConnection c) {
    Instant at = Instant.ofEpochMilli(clock.millis());
    feed.append(app.appKey(), new WriteBatch(), seq -> "{\"id\":" + seq + ",\"type\":\"device_online\",\"deviceId\":"
        + Json.quote(deviceId) + ",\"at\":" + Json.quote(Timestamps.iso(at)) + optional("platform", c.platform)
        + optional("sdkVersion", c.sdkVersion) + "}");
  }

  void feedOffline(App app, String deviceId, String reason) {
    Instant at = Instant.ofEpochMilli(clock.millis());
    lastSeenOffline.put(deviceId, at.toEpochMilli());
    feed.append(app.appKey(), new WriteBatch(), seq -> "{\"id\":" + seq + ",\"type\":\"device_offline\",\"deviceId\":"
        + Json.quote(deviceId) + ",\"at\":" + Json.quote(Timestamps.iso(at)) + ",\"reason\":" + Json.quote(reason) + "}");
  }

  void lastSeen(DeviceConnection c) {
    for (String d : c.deviceIds()) {
      lastSeenOffline.putIfAbsent(d, clock.millis());
    }
  }

  Long lastSeenOffline(String deviceId) {
    return lastSeenOffline.get(deviceId);
  }

  static String eventItem(long seq, String deviceId, String action, String value, String cause, long createdAt,
      String instanceId, String scope, Instant at) {
    return "{\"id\":" + seq + ",\"type\":\"device_event\"" + optional("deviceId", deviceId)
        + optional("action", action) + optional("instanceId", instanceId) + optional("scope", scope)
        + ",\"value\":" + value + optional("cause", cause) + ",\"createdAt\":" + createdAt
        + ",\"at\":" + Json.quote(Timestamps.iso(at)) + "}";
  }

  static String responseItem(long seq, String deviceId, String action, String clientId, String replyToken,
      boolean success, String message, String value, String instanceId, Instant at) {
    return "{\"id\":" + seq + ",\"type\":\"device_response\"" + optional("deviceId", deviceId)
        + optional("action", action) + optional("clientId", clientId) + optional("replyToken", replyToken)
        + optional("instanceId", instanceId) + ",\"success\":" + success + ",\"message\":" + Json.quote(message)
        + ",\"value\":" + value + ",\"at\":" + Json.quote(Timestamps.iso(at)) + "}";
  }

  private static String optional(String name, String value) {
    return value == null ? "" : ",\"" + name + "\":" + Json.quote(value);
  }
}
