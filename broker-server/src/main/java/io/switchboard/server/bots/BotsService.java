package io.switchboard.server.bots;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.codec.auth.jwt.BotKeys;
import io.switchboard.codec.auth.jwt.BotTokenVerifier;
import io.switchboard.codec.auth.jwt.JtiMemory;
import io.switchboard.core.BrokerContext;
import io.switchboard.core.config.BotsConfig;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.core.metrics.Outcomes;
import io.switchboard.core.quota.QuotaDecision;
import io.switchboard.core.quota.QuotaExceeded;
import io.switchboard.core.quota.QuotaPolicy;
import io.switchboard.core.quota.Reservation;
import io.switchboard.core.quota.SlidingWindowQuota;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.server.http.Json;
import io.switchboard.server.http.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bots dialect's state for one broker (bots.md §5–§7): registered bots, token verification, durable
 * messages with one pending entry per recipient, acknowledgements, the exact quota, and the bots' connections.
 *
 * <p>Store layout (every entry but conversations expires after {@code bots.retention}):
 * <pre>
 *   bots/msg/&lt;message_id&gt;                         the message (sender, data, times): also its idempotency key
 *   bots/pend/&lt;recipient&gt;/&lt;accept nanos 8B&gt;&lt;message_id&gt;  one pending entry, in delivery order
 *   bots/pidx/&lt;recipient&gt;/&lt;message_id&gt;            → the pending key, for acknowledgements
 *   bots/status/&lt;message_id&gt;/&lt;recipient&gt;          DELIVERED or READ (absent: SENT, never written)
 *   bots/conv/&lt;conversation_id&gt;                   conversation (no expiry)
 *   bots/jti/&lt;uid&gt;/&lt;jti&gt;                         a used token id, for 2 × maxIatSkew
 * </pre>
 */
final class BotsService {
  static final String DIALECT = "bots";

  final BotsConfig config;
  final Clock clock;
  final Store store;
  /** The broker's blocking pool: the quota's first load of a sender scans the store there, not on a loop. */
  final java.util.concurrent.Executor blocking;
  final Outcomes outcomes;
  final Conversations conversations;
  final SlidingWindowQuota quota;
  final BotTokenVerifier verifier;
  final LoginThrottle throttle;
  final Counter ackUnknown;
  final Counter pushed;
  /** {@code switchboard_bots_expired_total}: pending entries the store's sweep removed after the retention (§6). */
  final Counter expired;
  private final Runnable stopCountingExpired;
  private volatile Map<String, Bot> bots = Map.of();
  private final Map<String, CopyOnWriteArrayList<BotConnection>> connections = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

  BotsService(BrokerContext broker, IdentityRegistry<Bot> registry) {
    this.config = broker.config().bots();
    this.clock = broker.clock();
    this.store = broker.store();
    this.blocking = broker.blocking();
    this.outcomes = broker.outcomes();
    this.conversations = new Conversations(store);
    MeterRegistry meters = broker.meters();
    this.quota = new SlidingWindowQuota(store, "quota/bots/", new QuotaPolicy(config.messagesPerMinute(),
        QuotaPolicy.DEFAULT_WINDOW, java.time.Duration.ofSeconds(5), 100_000), clock);
    registry.onChange(c -> rebuild(registry));
    rebuild(registry);
    this.verifier = new BotTokenVerifier(clock, config.maxIatSkew(), config.allowRs512(), this::keysOf, jtiMemory());
    this.throttle = new LoginThrottle(config.throttleWindow().toMillis(), config.maxFailuresPerIp(),
        config.maxFailuresPerUid());
    this.ackUnknown = Counter.builder("switchboard.bots.ack.unknown")
        .description("Acknowledgements of messages not pending for the bot").register(meters);
    this.pushed = Counter.builder("switchboard.bots.pushed").description("CREATE_MESSAGE pushes written")
        .register(meters);
    this.expired = Counter.builder("switchboard.bots.expired")
        .description("Pending messages removed unacknowledged after bots.retention, one per recipient")
        .register(meters);
    this.stopCountingExpired = store.onExpired(Keys.of("bots", "pend", ""), n -> expired.increment(n));
  }

  void stop() {
    stopCountingExpired.run();
  }

  private synchronized void rebuild(IdentityRegistry<Bot> registry) {
    Map<String, Bot> m = new HashMap<>();
    for (Bot b : registry.all()) {
      m.put(b.uid(), b);
    }
    bots = Map.copyOf(m);
  }

  Bot bot(String uid) {
    return uid == null ? null : bots.get(uid.toLowerCase(java.util.Locale.ROOT));
  }

  private BotKeys keysOf(String uid) {
    Bot b = bot(uid);
    return b == null ? null : b.keys();
  }

  /**
   * Used token ids live in the store for 2 × maxIatSkew, so a replayed token is refused after a restart too. The
   * check is a point read; the write is not awaited (a crash within one group-commit interval could forget a jti
   * that is then still inside its 5-minute window: accepted, documented).
   */
  private JtiMemory jtiMemory() {
    return (uid, jti, expiresAtMillis) -> {
      byte[] key = Keys.of("bots", "jti", uid, jti);
      if (store.get(key) != null) {
        return false;
      }
      store.commit(new WriteBatch().put(key, new byte[0], Instant.ofEpochMilli(expiresAtMillis)));
      return true;
    };
  }

  // ---- connections ----

  /** Registers a new connection; past the per-bot limit the oldest is closed with 4009. */
  void connected(BotConnection c) {
    CopyOnWriteArrayList<BotConnection> list = connections.computeIfAbsent(c.uid(), k -> new CopyOnWriteArrayList<>());
    list.add(c);
    while (list.size() > config.maxConnectionsPerBot()) {
      BotConnection oldest = list.remove(0);
      oldest.closeReplaced();
    }
  }

  void disconnected(BotConnection c) {
    List<BotConnection> list = connections.get(c.uid());
    if (list != null) {
      list.remove(c);
    }
  }

  /** One subscribed connection of {@code uid}, round-robin (competing consumers, §6), or null. */
  BotConnection pickSubscribed(String uid) {
    List<BotConnection> list = connections.get(uid);
    if (list == null || list.isEmpty()) {
      return null;
    }
    int start = roundRobin.computeIfAbsent(uid, k -> new AtomicInteger()).getAndIncrement();
    for (int i = 0; i < list.size(); i++) {
      BotConnection c = list.get(Math.floorMod(start + i, list.size()));
      if (c.subscribed()) {
        return c;
      }
    }
    return null;
  }

  // ---- messages ----

  static byte[] msgKey(String messageId) {
    return Keys.of("bots", "msg", messageId);
  }

  static byte[] pendingPrefix(String recipient) {
    return Keys.of("bots", "pend", recipient, "");
  }

  static byte[] pidxKey(String recipient, String messageId) {
    return Keys.of("bots", "pidx", recipient, messageId);
  }

  static byte[] statusKey(String messageId, String recipient) {
    return Keys.of("bots", "status", messageId, recipient);
  }

  /** A stored message, as pushed: everything but the push id and source. */
  record Stored(String messageId, String sender, String senderSession, String conversationId, String category,
      String data, String representativeId, String quoteMessageId, boolean silent, long expireIn, String createdAt) {

    String toJson() {
      return "{\"message_id\":" + Json.quote(messageId) + ",\"sender\":" + Json.quote(sender) + ",\"session\":"
          + Json.quote(senderSession) + ",\"conversation_id\":" + Json.quote(conversationId) + ",\"category\":"
          + Json.quote(category) + ",\"data\":" + Json.quote(data) + ",\"representative_id\":"
          + Json.quote(representativeId) + ",\"quote_message_id\":" + Json.quote(quoteMessageId) + ",\"silent\":"
          + silent + ",\"expire_in\":" + expireIn + ",\"created_at\":" + Json.quote(createdAt) + "}";
    }

    /** The {@code data} object of a CREATE_MESSAGE push (§5.3). */
    String pushData(String source) {
      byte[] bytes = java.util.Base64.getDecoder().decode(data);
      String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      return "{\"type\":\"message\",\"representative_id\":" + Json.quote(representativeId) + ",\"quote_message_id\":"
          + Json.quote(quoteMessageId) + ",\"conversation_id\":" + Json.quote(conversationId) + ",\"user_id\":"
          + Json.quote(sender) + ",\"session_id\":" + Json.quote(senderSession) + ",\"message_id\":"
          + Json.quote(messageId) + ",\"category\":" + Json.quote(category) + ",\"data\":" + Json.quote(data)
          + ",\"data_base64\":" + Json.quote(urlSafe) + ",\"status\":\"SENT\",\"source\":" + Json.quote(source)
          + ",\"silent\":" + silent + ",\"expire_in\":" + expireIn + ",\"created_at\":" + Json.quote(createdAt)
          + ",\"updated_at\":" + Json.quote(createdAt) + "}";
    }
  }

  Stored load(String messageId) {
    byte[] v = store.get(msgKey(messageId));
    if (v == null) {
      return null;
    }
    try (com.fasterxml.jackson.core.JsonParser p = Json.FACTORY.createParser(v)) {
      Map<String, String> f = new HashMap<>();
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        f.put(name, p.getText());
      }
      return new Stored(f.get("message_id"), f.get("sender"), f.get("session"), f.get("conversation_id"),
          f.get("category"), f.get("data"), f.get("representative_id"), f.get("quote_message_id"),
          Boolean.parseBoolean(f.get("silent")), Long.parseLong(f.get("expire_in")), f.get("created_at"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("corrupt message " + messageId, e);
    }
  }

  /** What an accepted batch produced: the stored messages and their recipients, for the pushes. */
  record Accepted(List<Stored> messages, List<List<String>> recipients) {}

  /**
   * Accepts messages from {@code sender} (§5.2 steps 2–5, §5.7): recipients resolved, idempotent by message_id,
   * quota-checked as a whole, then committed in one atomic batch. Completes after the commit is durable; fails
   * with a {@link BotsError}.
   */
  CompletableFuture<Accepted> accept(Bot sender, List<MessageIn> messages, boolean batchIndexes) {
    return accept(sender, messages, batchIndexes, true);
  }

  private CompletableFuture<Accepted> accept(Bot sender, List<MessageIn> messages, boolean batchIndexes,
      boolean retryOnRace) {
    WriteBatch batch = new WriteBatch();
    Instant now = Instant.now(clock);
    // Whole seconds: the round's messages then share their expiry-index entries (WriteBatch#groupableExpiry).
    Instant expires = WriteBatch.groupableExpiry(now.plus(config.retention()));
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    List<Stored> fresh = new ArrayList<>();
    List<List<String>> recipientsOf = new ArrayList<>();
    Map<String, Conversations.Conversation> created = new HashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      MessageIn m = messages.get(i);
      int index = batchIndexes ? i : -1;
      List<String> recipients = resolveRecipients(sender, m, created, batch);
      byte[] existing = store.get(msgKey(m.messageId()));
      if (existing != null) {
        Stored s = load(m.messageId());
        if (s != null && !s.sender().equals(sender.uid())) {
          throw BotsError.forbidden();
        }
        continue; // already stored: success, nothing more (§5.2 step 3)
      }
      if (!seen.add(m.messageId())) {
        continue;
      }
      Stored s = new Stored(m.messageId(), sender.uid(), sender.sessionId(), m.conversationId(), m.category(),
          m.data(), m.representativeId(), m.quoteMessageId(), m.silent(), m.expireIn(), Timestamps.isoNanos(now));
      // New by the condition (absent, or expired and only awaiting the sweep): with its pending entries below, it
      // shares one expiry-index entry (a group) instead of one each.
      batch.requireAbsent(msgKey(m.messageId()))
          .putNew(msgKey(m.messageId()), s.toJson().getBytes(StandardCharsets.UTF_8), expires);
      for (String r : recipients) {
        byte[] pkey = concat(Keys.withLong(pendingPrefix(r), nanos), Keys.utf8(m.messageId()));
        // New keys (they carry the new message's id): no old value to read on the writer. No status entry: an
        // absent status reads as SENT, so the first one written is the recipient's DELIVERED or READ.
        batch.putNew(pkey, new byte[0], expires).putNew(pidxKey(r, m.messageId()), pkey, expires);
      }
      fresh.add(s);
      recipientsOf.add(recipients);
    }
    if (fresh.isEmpty()) {
      return CompletableFuture.completedFuture(new Accepted(List.of(), List.of()));
    }
    // Decided at once when the sender's window is loaded; its first use loads it on the blocking pool.
    return quota.acquire(sender.uid(), fresh.size(), batch, blocking)
        .thenCompose(d -> commitAccepted(d, batch, sender, messages, batchIndexes, retryOnRace, fresh, recipientsOf));
  }

  private CompletableFuture<Accepted> commitAccepted(QuotaDecision d, WriteBatch batch, Bot sender,
      List<MessageIn> messages, boolean batchIndexes, boolean retryOnRace, List<Stored> fresh,
      List<List<String>> recipientsOf) {
    if (d instanceof QuotaExceeded) {
      return CompletableFuture.failedFuture(BotsError.tooMany());
    }
    Reservation r = (Reservation) d;
    return store.commit(batch).whenComplete(r::resolve).thenCompose(result -> {
      if (result instanceof CommitResult.Conflict) {
        // A message_id (or an implicit conversation) was stored meanwhile by a concurrent request: nothing of this
        // batch was written and its quota was given back; once more, the stored ones are then seen as repeats.
        if (retryOnRace) {
          return accept(sender, messages, batchIndexes, false);
        }
        throw BotsError.forbidden();
      }
      return CompletableFuture.completedFuture(new Accepted(fresh, recipientsOf));
    });
  }

  private List<String> resolveRecipients(Bot sender, MessageIn m, Map<String, Conversations.Conversation> created,
      WriteBatch batch) {
    Conversations.Conversation conv = created.containsKey(m.conversationId()) ? created.get(m.conversationId())
        : conversations.get(m.conversationId());
    if (m.recipientId() != null) {
      Bot recipient = bot(m.recipientId());
      if (recipient == null || recipient.uid().equals(sender.uid())) {
        throw BotsError.notFound();
      }
      if (conv != null) {
        if (!conv.has(sender.uid()) || !conv.has(recipient.uid())) {
          throw BotsError.forbidden();
        }
      } else {
        if (!m.conversationId().equals(Conversations.contactId(sender.uid(), recipient.uid()))) {
          throw BotsError.notFound();
        }
        Conversations.Conversation c = new Conversations.Conversation(m.conversationId(), "CONTACT", sender.uid(),
            "", List.of(sender.uid(), recipient.uid()), Instant.now(clock));
        Conversations.put(batch, c);
        created.put(c.id(), c);
      }
      return List.of(recipient.uid());
    }
    if (conv == null) {
      throw BotsError.notFound();
    }
    if (!conv.has(sender.uid())) {
      throw BotsError.forbidden();
    }
    List<String> out = new ArrayList<>();
    for (String p : conv.participants()) {
      if (!p.equals(sender.uid())) {
        out.add(p);
      }
    }
    return out;
  }

  /** After an accepted batch is durable: each message to one subscribed connection of each recipient. */
  void pushAccepted(Accepted a) {
    for (int i = 0; i < a.messages().size(); i++) {
      for (String r : a.recipients().get(i)) {
        BotConnection c = pickSubscribed(r);
        if (c != null) {
          c.pushLive(a.messages().get(i));
        }
      }
    }
  }

  /** An acknowledgement entry. */
  record Ack(String messageId, String status) {}

  /**
   * Removes {@code uid}'s pending entries for the acknowledged messages, durably, as one batch (§5.4), then pushes
   * status updates to the senders whose recipient status advanced. Unknown entries succeed and are counted.
   */
  CompletableFuture<Void> acknowledge(String uid, List<Ack> acks) {
    WriteBatch batch = new WriteBatch();
    List<Runnable> afterCommit = new ArrayList<>();
    Instant expires = Instant.now(clock).plus(config.retention());
    Set<String> done = new LinkedHashSet<>();
    for (Ack a : acks) {
      byte[] pkey = store.get(pidxKey(uid, a.messageId()));
      if (pkey == null || !done.add(a.messageId())) {
        ackUnknown.increment();
        continue;
      }
      batch.delete(pkey).delete(pidxKey(uid, a.messageId()));
      byte[] st = store.get(statusKey(a.messageId(), uid));
      String before = st == null ? "SENT" : new String(st, StandardCharsets.UTF_8);
      if (rank(a.status()) > rank(before)) {
        batch.put(statusKey(a.messageId(), uid), Keys.utf8(a.status()), expires);
        Stored s = load(a.messageId());
        if (s != null) {
          String update = "{\"type\":\"message\",\"conversation_id\":" + Json.quote(s.conversationId())
              + ",\"user_id\":" + Json.quote(uid) + ",\"message_id\":" + Json.quote(a.messageId())
              + ",\"status\":" + Json.quote(a.status()) + ",\"source\":\"ACKNOWLEDGE_MESSAGE_RECEIPT\",\"updated_at\":"
              + Json.quote(Timestamps.isoNanos(Instant.now(clock))) + "}";
          afterCommit.add(() -> {
            BotConnection c = pickSubscribed(s.sender());
            if (c != null) {
              c.pushStatus(update);
            }
          });
        }
      }
      afterCommit.add(() -> forgetInFlight(uid, a.messageId()));
    }
    return store.commit(batch).thenRun(() -> afterCommit.forEach(Runnable::run));
  }

  private void forgetInFlight(String uid, String messageId) {
    List<BotConnection> list = connections.get(uid);
    if (list != null) {
      list.forEach(c -> c.forget(messageId));
    }
  }

  private static int rank(String status) {
    return switch (status) {
      case "READ" -> 2;
      case "DELIVERED" -> 1;
      default -> 0;
    };
  }

  boolean stillPending(String uid, String messageId) {
    return store.get(pidxKey(uid, messageId)) != null;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
