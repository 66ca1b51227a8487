package io.switchboard.server.widgets;

import com.fasterxml.jackson.core.JsonFactory;
import io.micrometer.core.instrument.Counter;
import io.switchboard.core.BrokerContext;
import io.switchboard.core.config.WidgetsConfig;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.core.metrics.Outcomes;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.stream.SlowConsumerPolicy;
import io.switchboard.core.stream.StreamClass;
import io.switchboard.core.stream.Streams;
import io.switchboard.server.widgets.webhook.DestinationPolicy;
import io.switchboard.server.widgets.webhook.WebhookClient;
import io.switchboard.server.widgets.webhook.WebhookSettings;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The widgets dialect's state (widgets.md): widget keys, streams, publish tokens, ended streams, per-IP
 * subscription counts, rate limits and the webhook client.
 *
 * <p>Store layout: {@code widgets/token/<token>} → {@code <streamId> <userId>} (expiring at the end of its grace,
 * so tokens resolve from the store after a restart); {@code widgets/ended/<streamId>}; and each stream's keys
 * ({@link WidgetStream}).
 */
final class WidgetsService {
  static final String DIALECT = "widgets";
  private static final long OPEN_TOKEN_TTL_HOURS = 24;

  final WidgetsConfig config;
  final Clock clock;
  final Store store;
  final Outcomes outcomes;
  final JsonFactory json;
  final WebhookClient webhooks;
  final RateLimiter publishLimiter;
  final RateLimiter webhookLimiter;
  final Counter webhookOutcomesDropped;
  final Counter slowConsumers;
  /** The broker's pool for store scans that must stay off the event loops (resume loads, request replies). */
  final java.util.concurrent.Executor blocking;
  private final Streams streams;
  private final StreamClass streamClass;
  private final SecureRandom random = new SecureRandom();
  private volatile Map<String, WidgetKey> keys = Map.of();
  private volatile Set<String> knownStreams = Set.of();
  private volatile boolean anyStream;
  private final Map<String, WidgetStream> byId = new ConcurrentHashMap<>();
  private final Map<String, TokenGrant> tokens = new ConcurrentHashMap<>();
  private final Map<String, TokenGrant> byUser = new ConcurrentHashMap<>();
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final Map<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

  WidgetsService(BrokerContext broker, IdentityRegistry<WidgetKey> registry) {
    this.config = broker.config().widgets();
    this.clock = broker.clock();
    this.store = broker.store();
    this.outcomes = broker.outcomes();
    this.streams = broker.streams();
    this.blocking = broker.blocking();
    this.json = Published.factory(config.maxJsonDepth());
    this.streamClass = new StreamClass(DIALECT, SlowConsumerPolicy.DISCONNECT, config.subscriberQueue());
    this.publishLimiter = new RateLimiter(config.publishPerSecond(), TimeUnit.SECONDS.toNanos(1),
        config.publishBurst());
    this.webhookLimiter = new RateLimiter(config.webhookPerKeyPerMinute(), TimeUnit.MINUTES.toNanos(1),
        config.webhookPerKeyPerMinute());
    this.webhookOutcomesDropped = Counter.builder("switchboard.widgets.webhook.outcomes.dropped")
        .description("webhook outcomes whose sender's subscription was gone").register(broker.meterRegistry());
    this.slowConsumers = outcomes.rejectedCounter(DIALECT, "slow_consumer");
    WebhookSettings settings = WebhookSettings.defaults()
        .withWorkers(config.webhookWorkers(), config.webhookQueueSize())
        .withTimeout(config.webhookTimeout())
        .withMaxRetries(config.webhookMaxRetries())
        .withMaxBodyBytes(config.webhookMaxBodyBytes())
        .withAllowedPorts(Set.copyOf(config.webhookAllowedPorts()));
    this.webhooks = WebhookClient.builder().settings(settings)
        .policy(DestinationPolicy.withAllowList(config.webhookAllow())).meters(broker.meterRegistry()).build();
    store.scanPrefix(Keys.of("widgets", "ended", ""), false, (k, v) -> {
      ended.add(new String(k, StandardCharsets.UTF_8).substring("widgets/ended/".length()));
      return true;
    });
    registry.onChange(c -> rebuild(registry));
    rebuild(registry);
  }

  private synchronized void rebuild(IdentityRegistry<WidgetKey> registry) {
    Map<String, WidgetKey> m = new java.util.HashMap<>();
    Set<String> known = new HashSet<>();
    boolean any = false;
    for (WidgetKey k : registry.all()) {
      m.put(k.key(), k);
      known.addAll(k.streams());
      any |= k.streams().contains("*");
    }
    keys = Map.copyOf(m);
    knownStreams = Set.copyOf(known);
    anyStream = any;
  }

  WidgetKey key(String key) {
    return key == null ? null : keys.get(key.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The Access-Control-Allow-Origin for {@code origin} on {@code streamId} when no key is at hand (a preflight,
   * a subscription): {@code *} if any key of the stream allows every origin, else {@code origin} if one lists it,
   * else null.
   */
  String corsOrigin(String streamId, String origin) {
    String allowed = null;
    for (WidgetKey k : keys.values()) {
      if (!k.allows(streamId)) {
        continue;
      }
      String o = k.corsOrigin(origin);
      if ("*".equals(o)) {
        return o;
      }
      allowed = o != null ? o : allowed;
    }
    return allowed;
  }

  /** Whether a registered key lists {@code streamId}, explicitly or through {@code *} (§1). */
  boolean isKnown(String streamId) {
    return WidgetKey.STREAM_ID.matcher(streamId).matches() && (anyStream || knownStreams.contains(streamId));
  }

  boolean isEnded(String streamId) {
    return ended.contains(streamId);
  }

  WidgetStream stream(String streamId) {
    return byId.computeIfAbsent(streamId, id -> new WidgetStream(id, this, streams.stream("widgets/" + id,
        streamClass)));
  }

  /**
   * Ends a stream (admin): refuses new subscriptions at once, tells and closes every viewer, and completes once
   * the mark is durable (with whether the stream was running).
   */
  java.util.concurrent.CompletableFuture<Boolean> end(String streamId) {
    boolean was = ended.add(streamId);
    stream(streamId).end();
    return store.put(Keys.of("widgets", "ended", streamId), new byte[0]).thenApply(r -> was);
  }

  /** Starts an ended stream again (admin); completes, once durable, with whether it was ended. */
  java.util.concurrent.CompletableFuture<Boolean> start(String streamId) {
    boolean was = ended.remove(streamId);
    return store.delete(Keys.of("widgets", "ended", streamId)).thenApply(r -> was);
  }

  /** Counts a subscription for {@code ip}; false (nothing counted) when the IP is at its limit. */
  boolean admitIp(InetAddress ip) {
    AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
    if (n.incrementAndGet() > config.maxSubscriptionsPerIp()) {
      n.decrementAndGet();
      return false;
    }
    return true;
  }

  void releaseIp(InetAddress ip) {
    perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /**
   * The identity of a new subscription: the previous one when {@code resumeToken} is still valid for this stream
   * (§6), else a fresh user id and token. The token is bound in memory and in the store.
   */
  TokenGrant grant(String streamId, String resumeToken) {
    if (resumeToken != null) {
      TokenGrant g = resolve(resumeToken);
      if (g != null && g.streamId.equals(streamId)) {
        synchronized (g) {
          g.open++;
          g.closedAtMillis = Long.MAX_VALUE;
        }
        persist(g, Instant.now(clock).plus(OPEN_TOKEN_TTL_HOURS, java.time.temporal.ChronoUnit.HOURS));
        return g;
      }
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    TokenGrant g = new TokenGrant(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), streamId,
        UUID.randomUUID().toString());
    g.open = 1;
    tokens.put(g.token, g);
    byUser.put(streamId + " " + g.userId, g);
    persist(g, Instant.now(clock).plus(OPEN_TOKEN_TTL_HOURS, java.time.temporal.ChronoUnit.HOURS));
    return g;
  }

  /** A subscription using {@code g} closed: its grace starts when it was the last one. */
  void closed(TokenGrant g) {
    synchronized (g) {
      if (--g.open > 0) {
        return;
      }
      g.closedAtMillis = clock.millis();
    }
    persist(g, Instant.now(clock).plus(config.tokenGrace()));
  }

  private void persist(TokenGrant g, Instant expiresAt) {
    store.commit(new io.switchboard.core.store.WriteBatch().put(Keys.of("widgets", "token", g.token),
        (g.streamId + " " + g.userId).getBytes(StandardCharsets.UTF_8), expiresAt));
  }

  /** The grant of a valid token (open, or within grace), or null. */
  TokenGrant resolve(String token) {
    if (token == null || token.isEmpty() || token.length() > 64) {
      return null;
    }
    long now = clock.millis();
    TokenGrant g = tokens.get(token);
    if (g == null) {
      byte[] v = store.get(Keys.of("widgets", "token", token)); // bound by another run (restart) or node
      if (v == null) {
        return null;
      }
      String[] parts = new String(v, StandardCharsets.UTF_8).split(" ", 2);
      g = new TokenGrant(token, parts[0], parts[1]);
      g.closedAtMillis = now;
      TokenGrant prior = tokens.putIfAbsent(token, g);
      if (prior == null) {
        byUser.putIfAbsent(g.streamId + " " + g.userId, g);
      }
      g = prior != null ? prior : g;
    }
    return g.validAt(now, config.tokenGrace().toMillis()) ? g : null;
  }

  /** Whether {@code userId} holds a token for {@code streamId} that is open or within grace (a private's target). */
  boolean inGrace(String streamId, String userId) {
    TokenGrant g = byUser.get(streamId + " " + userId);
    return g != null && g.validAt(clock.millis(), config.tokenGrace().toMillis());
  }

  /** Forgets expired tokens and idle rate-limit buckets; runs periodically off the publish path. */
  void sweep() {
    long now = clock.millis();
    long grace = config.tokenGrace().toMillis();
    tokens.values().removeIf(g -> !g.validAt(now, grace));
    byUser.values().removeIf(g -> !g.validAt(now, grace));
    long nanos = System.nanoTime();
    publishLimiter.evictIdle(nanos);
    webhookLimiter.evictIdle(nanos);
  }

  void close() {
    webhooks.close();
  }
}
