package io.switchboard.server.config;

import static io.switchboard.server.config.ConfigKey.of;
import static io.switchboard.server.config.ConfigKey.secret;
import static io.switchboard.server.config.ValueType.BOOL;
import static io.switchboard.server.config.ValueType.BYTES;
import static io.switchboard.server.config.ValueType.DURATION;
import static io.switchboard.server.config.ValueType.FRACTION;
import static io.switchboard.server.config.ValueType.INT;
import static io.switchboard.server.config.ValueType.INT_BYTES;
import static io.switchboard.server.config.ValueType.LIST;
import static io.switchboard.server.config.ValueType.LOWER_CASE;
import static io.switchboard.server.config.ValueType.PATH;
import static io.switchboard.server.config.ValueType.STRING;
import static io.switchboard.server.config.ValueType.UPPER_CASE;
import static io.switchboard.server.config.ValueType.enumOf;

import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.config.TransportKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The key table: every configuration key once, with its type, where its value goes and what it does.
 *
 * <p>The YAML reader, the environment overrides, the CLI flags, {@code genconfig --keys} and the completeness test of
 * {@code config/broker.yaml} all read this table. A new section (devices.*, bots.*, rooms.*, widgets.*) is one more
 * list below, plus its fields in {@link ConfigDraft} when its record has no builder.
 */
public final class ConfigKeys {
  private static final List<ConfigKey<?>> ALL = Stream.of(
          server(), serverLimits(), serverTls(), store(), admin(), log(), devices(), bots(), rooms(), widgets(),
          demo())
      .flatMap(List::stream)
      .toList();
  private static final Map<String, ConfigKey<?>> BY_PATH = index(ALL);
  private static final Set<String> SECTIONS = sections(ALL);

  private ConfigKeys() {}

  private static List<ConfigKey<?>> server() {
    return List.of(
        of("server.host", STRING, (d, v) -> d.broker().server().host(v),
            "Address of the shared listener; 0.0.0.0 binds every IPv4 interface."),
        of("server.port", INT, (d, v) -> d.broker().server().port(v),
            "Port of the shared HTTP/WebSocket listener; 0 picks a free one."),
        of("server.transport", enumOf(TransportKind.class), (d, v) -> d.broker().server().transport(v),
            "Netty transport: auto (epoll when available, else nio), epoll or nio."),
        of("server.ioThreads", INT, (d, v) -> d.broker().server().ioThreads(v),
            "Event loop threads; 0 means one per available processor."),
        of("server.handshakeTimeout", DURATION, (d, v) -> d.broker().server().handshakeTimeout(v),
            "Time a new connection has to send its HTTP request head (slow-loris guard)."),
        of("server.drainTimeout", DURATION, (d, v) -> d.broker().server().drainTimeout(v),
            "How long shutdown waits for connections to close after sending 1001."),
        of("server.maxConnections", INT, (d, v) -> d.broker().server().maxConnections(v),
            "Connections open at once on all listeners."),
        of("server.maxConnectionsPerIp", INT, (d, v) -> d.broker().server().maxConnectionsPerIp(v),
            "Connections open at once from one remote address."),
        of("server.writeBufferHighWaterMark", INT_BYTES, (d, v) -> d.broker().server().writeBufferHighWaterMark(v),
            "Bytes queued on a socket before it stops being writable."),
        of("server.writeBufferLowWaterMark", INT_BYTES, (d, v) -> d.broker().server().writeBufferLowWaterMark(v),
            "Bytes queued below which a socket is writable again."));
  }

  private static List<ConfigKey<?>> serverLimits() {
    return List.of(
        of("server.limits.maxInitialLineBytes", INT_BYTES, (d, v) -> d.maxInitialLineBytes = v,
            "Longest HTTP request line."),
        of("server.limits.maxHeaderBytes", INT_BYTES, (d, v) -> d.maxHeaderBytes = v,
            "Total size of the HTTP request headers."),
        of("server.limits.maxHttpBodyBytes", INT_BYTES, (d, v) -> d.maxHttpBodyBytes = v,
            "Largest HTTP request body (413 beyond)."),
        of("server.limits.maxFramePayloadBytes", INT_BYTES, (d, v) -> d.maxFramePayloadBytes = v,
            "Largest WebSocket frame payload (close 1009 beyond)."),
        of("server.limits.maxMessageBytes", INT_BYTES, (d, v) -> d.maxMessageBytes = v,
            "Largest WebSocket message assembled from fragments (close 1009 beyond)."));
  }

  private static List<ConfigKey<?>> serverTls() {
    return List.of(
        of("server.tls.enabled", BOOL, (d, v) -> d.tlsEnabled = v,
            "Whether the shared listener speaks TLS."),
        of("server.tls.certChain", PATH, (d, v) -> d.tlsCertChain = v,
            "PEM certificate chain file."),
        of("server.tls.privateKey", PATH, (d, v) -> d.tlsPrivateKey = v,
            "PEM PKCS#8 private key file."),
        secret("server.tls.keyPassword", (d, v) -> d.tlsKeyPassword = v,
            "Password of the private key, if it has one. Secret."));
  }

  private static List<ConfigKey<?>> store() {
    return List.of(
        of("store.engine", enumOf(StoreEngine.class), (d, v) -> d.broker().store().engine(v),
            "Store implementation: rocksdb (on disk) or memory (lost on exit)."),
        of("store.dataDir", PATH, (d, v) -> d.broker().store().dataDir(v),
            "Directory of the RocksDB files."),
        of("store.durability", enumOf(Durability.class), (d, v) -> d.broker().store().durability(v),
            "When a write is acknowledged: none, batch (group commit) or sync."),
        of("store.batchInterval", DURATION, (d, v) -> d.broker().store().batchInterval(v),
            "Group-commit interval under durability batch."),
        of("store.expirySweepInterval", DURATION, (d, v) -> d.broker().store().expirySweepInterval(v),
            "How often expired entries are deleted (reads never return them)."),
        of("store.blockCacheBytes", BYTES, (d, v) -> d.broker().store().blockCacheBytes(v),
            "RocksDB block cache size."),
        of("store.writeBufferBytes", BYTES, (d, v) -> d.broker().store().writeBufferBytes(v),
            "RocksDB memtable size."));
  }

  private static List<ConfigKey<?>> admin() {
    return List.of(
        secret("admin.token", (d, v) -> d.adminToken = v,
            "Bearer token of the admin API (at least 16 characters); unset disables it. Secret."));
  }

  private static List<ConfigKey<?>> log() {
    return List.of(
        of("log.format", LOWER_CASE, (d, v) -> d.logFormat = v,
            "auto (text on a terminal, JSON otherwise), text or json."),
        of("log.level", UPPER_CASE, (d, v) -> d.logLevel = v,
            "Level of the io.switchboard loggers: trace, debug, info, warn or error."));
  }

  private static List<ConfigKey<?>> devices() {
    return List.of(
        of("devices.replyDeadline", DURATION, (d, v) -> d.devices().replyDeadline(v),
            "How long a Caller API request waits for the device's response before 504 device_unresponsive."),
        of("devices.verify.window", DURATION, (d, v) -> d.devices().verifyWindow(v),
            "Accepted distance between a message's createdAt and broker time, both ways; replay keys live 2x this."),
        of("devices.verify.maxFailures", INT, (d, v) -> d.devices().maxFailures(v),
            "Verification failures within failureWindow that close a connection with 4008."),
        of("devices.verify.failureWindow", DURATION, (d, v) -> d.devices().failureWindow(v),
            "Window of the failure budget."),
        of("devices.rateLimit.stateInterval", DURATION, (d, v) -> d.devices().stateInterval(v),
            "Minimum time between accepted events per (device, action, instance) for state actions."),
        of("devices.rateLimit.sensorInterval", DURATION, (d, v) -> d.devices().sensorInterval(v),
            "Minimum time between accepted events per (device, action, instance) for sensor actions."),
        of("devices.rateLimit.sensorActions", LIST, (d, v) -> d.devices().sensorActions(v),
            "Actions limited by sensorInterval; every other action uses stateInterval."),
        of("devices.rateLimit.tolerance", FRACTION, (d, v) -> d.devices().rateTolerance(v),
            "Arrival jitter allowed, as a fraction of the interval."),
        of("devices.caller.maxPendingPerDevice", INT, (d, v) -> d.devices().maxPendingPerDevice(v),
            "Caller API requests waiting on one device at once; more get 429 too_many_pending."),
        of("devices.caller.maxPendingTotal", INT, (d, v) -> d.devices().maxPendingTotal(v),
            "Caller API requests waiting on all devices at once (bounds the pending table)."),
        of("devices.caller.maxBodyBytes", BYTES, (d, v) -> d.devices().callerMaxBodyBytes(v),
            "Largest Caller API request body; larger gets 413."),
        of("devices.caller.defaultClientId", STRING, (d, v) -> d.devices().defaultClientId(v),
            "clientId sent when the caller gives none (the Python SDK ignores requests without one)."),
        of("devices.maxDevicesPerConnection", INT, (d, v) -> d.devices().maxDevicesPerConnection(v),
            "Device ids one connection may hold (deviceids header)."),
        of("devices.limits.maxInboundBytes", BYTES, (d, v) -> d.devices().maxInboundBytes(v),
            "Largest inbound device message; larger closes with 1009."),
        of("devices.limits.maxJsonDepth", INT, (d, v) -> d.devices().maxJsonDepth(v),
            "Deepest JSON nesting accepted in a device message."),
        of("devices.limits.maxStringChars", INT, (d, v) -> d.devices().maxStringChars(v),
            "Longest JSON string accepted in a device message."),
        of("devices.limits.maxOutboundBytes", BYTES, (d, v) -> d.devices().maxOutboundBytes(v),
            "Largest frame sent to a device (ESP devices receive at most 15 KiB)."),
        of("devices.pingInterval", DURATION, (d, v) -> d.devices().pingInterval(v),
            "How often the broker pings each device connection."),
        of("devices.readIdleTimeout", DURATION, (d, v) -> d.devices().readIdleTimeout(v),
            "Silence after which a device connection is closed with 4000; above 310s."),
        of("devices.feed.heartbeat", DURATION, (d, v) -> d.devices().feedHeartbeat(v),
            "Interval of the ': keepalive' comment on the SSE event feed."),
        of("devices.feed.retainItems", INT, (d, v) -> d.devices().feedRetainItems(v),
            "Feed items kept per app for Last-Event-ID resume."),
        of("devices.feed.subscriberQueue", INT, (d, v) -> d.devices().feedSubscriberQueue(v),
            "Feed items queued for a slow subscriber before it is disconnected."),
        of("devices.activityLog.maxEntries", INT, (d, v) -> d.devices().activityLogMaxEntries(v),
            "Activity-log entries kept per app."),
        of("devices.restore.actions", LIST, (d, v) -> d.devices().restoreActions(v),
            "Actions whose last state is replayed to a device that asks for restore."),
        of("devices.permessageDeflate", BOOL, (d, v) -> d.devices().permessageDeflate(v),
            "Accept permessage-deflate from device clients that offer it."),
        of("devices.listeners", LIST, (d, v) -> d.devices().listeners(v),
            "Dedicated device-only listeners as host:port (for example 0.0.0.0:80), path / without headers."));
  }

  private static List<ConfigKey<?>> bots() {
    return List.of(
        of("bots.replyDeadline", DURATION, (d, v) -> d.bots().replyDeadline(v),
            "Every request gets its reply within this; a slower store commit is answered 7001."),
        of("bots.redeliveryAfter", DURATION, (d, v) -> d.bots().redeliveryAfter(v),
            "A pushed, unacknowledged message is pushed again after this (visibility timeout)."),
        of("bots.retention", DURATION, (d, v) -> d.bots().retention(v),
            "Pending messages and idempotency keys older than this expire."),
        of("bots.errorPause", DURATION, (d, v) -> d.bots().errorPause(v),
            "Reading from a connection pauses this long after an error reply (tames retry loops)."),
        of("bots.maxConnectionsPerBot", INT, (d, v) -> d.bots().maxConnectionsPerBot(v),
            "Connections one bot may hold; a newer one closes the oldest with 4009."),
        of("bots.pingInterval", DURATION, (d, v) -> d.bots().pingInterval(v),
            "How often the broker pings each bot connection; below 30s (the Node SDK needs a ping within 30s)."),
        of("bots.readIdleTimeout", DURATION, (d, v) -> d.bots().readIdleTimeout(v),
            "Silence after which a bot connection is closed with 4000."),
        of("bots.gzipLevel", INT, (d, v) -> d.bots().gzipLevel(v),
            "Compression level of outbound frames, 1-9."),
        of("bots.listeners", LIST, (d, v) -> d.bots().listeners(v),
            "Dedicated bots-only listeners as host:port."),
        of("bots.quota.messagesPerMinute", INT, (d, v) -> d.bots().messagesPerMinute(v),
            "Messages one bot may send in any 60s window (exact sliding window, persisted)."),
        of("bots.limits.maxFrameBytes", BYTES, (d, v) -> d.bots().maxFrameBytes(v),
            "Largest compressed frame; larger closes with 1009."),
        of("bots.limits.maxInflatedBytes", BYTES, (d, v) -> d.bots().maxInflatedBytes(v),
            "Largest inflated frame; inflation stops there and the connection closes with 1009."),
        of("bots.limits.maxJsonDepth", INT, (d, v) -> d.bots().maxJsonDepth(v),
            "Deepest JSON nesting accepted in a bot frame."),
        of("bots.limits.maxDataBytes", BYTES, (d, v) -> d.bots().maxDataBytes(v),
            "Largest decoded message data; larger gets 10002."),
        of("bots.rest.maxBodyBytes", BYTES, (d, v) -> d.bots().restMaxBodyBytes(v),
            "Largest REST request body."),
        of("bots.rest.maxBatch", INT, (d, v) -> d.bots().restMaxBatch(v),
            "Most messages or acknowledgements in one batch."),
        of("bots.auth.maxIatSkew", DURATION, (d, v) -> d.bots().maxIatSkew(v),
            "Accepted distance between a token's iat and broker time; jti memory lasts twice this."),
        of("bots.auth.failureDelay", DURATION, (d, v) -> d.bots().failureDelay(v),
            "Every failed authentication is answered after this delay."),
        of("bots.auth.allowRs512", BOOL, (d, v) -> d.bots().allowRs512(v),
            "Accept RS512 tokens from bots registered with an rsaPublicKey (old Go clients)."),
        of("bots.auth.throttle.window", DURATION, (d, v) -> d.bots().throttleWindow(v),
            "Window of the failed-login counters."),
        of("bots.auth.throttle.maxFailuresPerIp", INT, (d, v) -> d.bots().maxFailuresPerIp(v),
            "Failed logins per remote IP within the window before 429."),
        of("bots.auth.throttle.maxFailuresPerUid", INT, (d, v) -> d.bots().maxFailuresPerUid(v),
            "Failed logins with a verified signature per bot within the window before 429."));
  }

  private static List<ConfigKey<?>> rooms() {
    return List.of(
        of("rooms.authTimeout", DURATION, (d, v) -> d.rooms().authTimeout(v),
            "Time a new socket has to send its auth frame (close 4002); 0 lets unauthenticated viewers stay."),
        of("rooms.maxSocketsPerRoom", INT, (d, v) -> d.rooms().maxSocketsPerRoom(v),
            "Sockets one room may hold; more get 503 room is full."),
        of("rooms.socketQueue", INT, (d, v) -> d.rooms().socketQueue(v),
            "Messages queued for a slow socket before it is closed with 1008."),
        of("rooms.pingInterval", DURATION, (d, v) -> d.rooms().pingInterval(v),
            "How often the broker pings each room socket."),
        of("rooms.readIdleTimeout", DURATION, (d, v) -> d.rooms().readIdleTimeout(v),
            "Silence after which a room socket is closed with 4000."),
        of("rooms.listeners", LIST, (d, v) -> d.rooms().listeners(v),
            "Dedicated rooms-only listeners as host:port."),
        of("rooms.auth.clockSkew", DURATION, (d, v) -> d.rooms().clockSkew(v),
            "Tolerance when checking a token's exp, nbf and iat."),
        of("rooms.limits.maxInboundFrameBytes", BYTES, (d, v) -> d.rooms().maxInboundFrameBytes(v),
            "Largest frame a browser may send (auth frames); larger closes with 1009."),
        of("rooms.limits.maxBodyBytes", BYTES, (d, v) -> d.rooms().maxBodyBytes(v),
            "Largest POST /ws/messages body; larger gets 413."),
        of("rooms.limits.maxTextBytes", BYTES, (d, v) -> d.rooms().maxTextBytes(v),
            "Largest decoded message text."),
        of("rooms.limits.maxSlugChars", INT, (d, v) -> d.rooms().maxSlugChars(v),
            "Longest slug."),
        of("rooms.rateLimit.messages", INT, (d, v) -> d.rooms().rateLimitMessages(v),
            "Posts per window per (site, user); more get 429."),
        of("rooms.rateLimit.window", DURATION, (d, v) -> d.rooms().rateLimitWindow(v),
            "Window of the posting rate limit."),
        of("rooms.history.maxPage", INT, (d, v) -> d.rooms().historyMaxPage(v),
            "Largest history page (limit)."),
        of("rooms.history.maxPerRoom", INT, (d, v) -> d.rooms().historyMaxPerRoom(v),
            "Messages kept per room; older ones are deleted."));
  }

  private static List<ConfigKey<?>> widgets() {
    return List.of(
        of("widgets.listeners", LIST, (d, v) -> d.widgets().listeners(v),
            "Dedicated widgets-only listeners as host:port."),
        of("widgets.maxSubscriptionsPerIp", INT, (d, v) -> d.widgets().maxSubscriptionsPerIp(v),
            "Open subscriptions one client IP may hold; more get 429 too many subscriptions."),
        of("widgets.maxSubscribersPerStream", INT, (d, v) -> d.widgets().maxSubscribersPerStream(v),
            "Subscribers one stream may hold; more get 503 stream is full."),
        of("widgets.tokenGrace", DURATION, (d, v) -> d.widgets().tokenGrace(v),
            "How long a publish token stays valid after its subscription closes."),
        of("widgets.subscriberQueue", INT, (d, v) -> d.widgets().subscriberQueue(v),
            "Events queued for a slow subscriber before it is disconnected."),
        of("widgets.heartbeat", DURATION, (d, v) -> d.widgets().heartbeat(v),
            "Interval of the SSE heartbeat comment."),
        of("widgets.pingInterval", DURATION, (d, v) -> d.widgets().pingInterval(v),
            "How often the broker pings a WebSocket subscriber."),
        of("widgets.readIdleTimeout", DURATION, (d, v) -> d.widgets().readIdleTimeout(v),
            "Silence after which a WebSocket subscriber is closed with 4000."),
        of("widgets.limits.maxBodyBytes", BYTES, (d, v) -> d.widgets().maxBodyBytes(v),
            "Largest publish body; larger gets 413."),
        of("widgets.limits.maxJsonDepth", INT, (d, v) -> d.widgets().maxJsonDepth(v),
            "Deepest JSON nesting of a publish body; deeper gets 400."),
        of("widgets.limits.maxEventBytes", BYTES, (d, v) -> d.widgets().maxEventBytes(v),
            "Largest request reply; it then holds only the newest broadcasts that fit."),
        of("widgets.request.maxMessages", INT, (d, v) -> d.widgets().requestMaxMessages(v),
            "Default and largest number of broadcasts in a request reply."),
        of("widgets.history.maxPerStream", INT, (d, v) -> d.widgets().historyMaxPerStream(v),
            "Broadcasts kept per stream; the oldest are evicted."),
        of("widgets.history.maxAge", DURATION, (d, v) -> d.widgets().historyMaxAge(v),
            "Age after which a stored broadcast is evicted; 0s (unset) keeps them until evicted by count."),
        of("widgets.resume.maxEvents", INT, (d, v) -> d.widgets().resumeMaxEvents(v),
            "Stored broadcasts replayed on a resume at most (the newest)."),
        of("widgets.resume.privateRetention", DURATION, (d, v) -> d.widgets().privateRetention(v),
            "How long private envelopes stay replayable to their recipient."),
        of("widgets.rateLimit.publishPerSecond", INT, (d, v) -> d.widgets().publishPerSecond(v),
            "Sustained publishes per second per token; more get 429."),
        of("widgets.rateLimit.burst", INT, (d, v) -> d.widgets().publishBurst(v),
            "Publishes a token may send in a burst."),
        of("widgets.webhook.perKeyPerMinute", INT, (d, v) -> d.widgets().webhookPerKeyPerMinute(v),
            "Webhooks per widget key per minute; more get 429."),
        of("widgets.webhook.workers", INT, (d, v) -> d.widgets().webhookWorkers(v),
            "Webhook worker threads."),
        of("widgets.webhook.queueSize", INT, (d, v) -> d.widgets().webhookQueueSize(v),
            "Webhook jobs waiting beyond the running ones; more get 503 webhook queue full."),
        of("widgets.webhook.timeout", DURATION, (d, v) -> d.widgets().webhookTimeout(v),
            "Total timeout of one webhook attempt, redirects included."),
        of("widgets.webhook.maxRetries", INT, (d, v) -> d.widgets().webhookMaxRetries(v),
            "Retries after a failed webhook attempt (backoff 1 s, 2 s, 4 s with jitter)."),
        of("widgets.webhook.maxBodyBytes", BYTES, (d, v) -> d.widgets().webhookMaxBodyBytes(v),
            "Response body bytes relayed in the webhook outcome; the rest is not read."),
        of("widgets.webhook.allowedPorts", LIST, (d, v) -> d.widgets().webhookAllowedPorts(v),
            "Ports a webhook URL (and a redirect target) may use."),
        of("widgets.webhook.allow", LIST, (d, v) -> d.widgets().webhookAllow(v),
            "CIDRs or exact host names exempt from the SSRF deny ranges."));
  }

  private static List<ConfigKey<?>> demo() {
    return List.of(
        of("demo.enabled", BOOL, (d, v) -> d.broker().demoPages(v),
            "Serve the demo pages (room chat, widget) under /demo/; scripts/run turns this on."));
  }

  /** Every key, in table order. */
  public static List<ConfigKey<?>> all() {
    return ALL;
  }

  /** The key at {@code path}, or null. */
  public static ConfigKey<?> find(String path) {
    return BY_PATH.get(path);
  }

  /** The key at {@code path}; an unknown path throws a ConfigException with the nearest known key. */
  public static ConfigKey<?> require(String path) {
    ConfigKey<?> k = BY_PATH.get(path);
    if (k == null) {
      throw unknown(path);
    }
    return k;
  }

  /** Whether {@code path} holds keys ({@code server}, {@code server.limits}) rather than a value. */
  public static boolean isSection(String path) {
    return SECTIONS.contains(path);
  }

  /** {@code path: unknown key (did you mean ...?)}. */
  static ConfigException unknown(String path) {
    List<String> candidates = new ArrayList<>(BY_PATH.keySet());
    candidates.addAll(SECTIONS);
    String hint = NearestMatch.find(path, candidates)
        .map(m -> " (did you mean " + m + "?)")
        .orElse("");
    return new ConfigException(path, "unknown key" + hint);
  }

  private static Map<String, ConfigKey<?>> index(List<ConfigKey<?>> keys) {
    Map<String, ConfigKey<?>> m = new LinkedHashMap<>();
    for (ConfigKey<?> k : keys) {
      if (m.put(k.path(), k) != null) {
        throw new IllegalStateException("duplicate config key " + k.path());
      }
    }
    return Map.copyOf(m);
  }

  private static Set<String> sections(List<ConfigKey<?>> keys) {
    Set<String> s = new LinkedHashSet<>();
    for (ConfigKey<?> k : keys) {
      String p = k.path();
      for (int dot = p.indexOf('.'); dot >= 0; dot = p.indexOf('.', dot + 1)) {
        s.add(p.substring(0, dot));
      }
    }
    return Set.copyOf(s);
  }
}
