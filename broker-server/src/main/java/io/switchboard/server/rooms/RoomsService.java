package io.switchboard.server.rooms;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.websocket.WebSocketFrames;
import io.switchboard.core.BrokerContext;
import io.switchboard.core.config.RoomsConfig;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.core.metrics.Outcomes;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.server.http.Json;
import io.switchboard.server.http.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rooms dialect's state (rooms.md §2–§6): sites, rooms and their sockets, and each room's durable history.
 *
 * <p>Store layout (the slug is base64url-encoded in keys, since it may hold any character):
 * <pre>
 *   rooms/msg/&lt;site&gt;/&lt;slug&gt;/&lt;id 8B&gt;        the message object, as pushed
 *   rooms/mid/&lt;site&gt;/&lt;slug&gt;/&lt;message_id&gt;  "&lt;user_id&gt;:&lt;id&gt;", the idempotency key
 *   rooms/user/&lt;site&gt;/&lt;user_id&gt;           the user's first-seen time
 * </pre>
 */
final class RoomsService {
  static final String DIALECT = "rooms";

  final RoomsConfig config;
  final Clock clock;
  final Store store;
  final Outcomes outcomes;
  /** A room with no sockets and nothing in flight is dropped from memory after this long unused (history stays). */
  static final java.time.Duration ROOM_IDLE = java.time.Duration.ofMinutes(5);
  /** Idle rooms are looked for at most this often, when a room is created (the only way the map grows). */
  static final java.time.Duration SWEEP_EVERY = java.time.Duration.ofMinutes(1);

  private volatile Map<Long, Site> sites = Map.of();
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final AtomicLong lastSweepMillis;

  RoomsService(BrokerContext broker, IdentityRegistry<Site> registry) {
    this.config = broker.config().rooms();
    this.clock = broker.clock();
    this.store = broker.store();
    this.outcomes = broker.outcomes();
    registry.onChange(c -> rebuild(registry));
    rebuild(registry);
    this.lastSweepMillis = new AtomicLong(clock.millis());
    io.micrometer.core.instrument.Gauge.builder("switchboard.rooms.active", rooms, Map::size)
        .description("Rooms held in memory (with sockets, or used within the idle period)")
        .register(broker.meters());
  }

  private synchronized void rebuild(IdentityRegistry<Site> registry) {
    Map<Long, Site> m = new HashMap<>();
    registry.all().forEach(s -> m.put(s.siteId(), s));
    sites = Map.copyOf(m);
  }

  Site site(long id) {
    return sites.get(id);
  }

  /**
   * The live room of {@code slug}, created on first use. Rooms are many with {@code slugs: ["*"]} (one per page
   * ever seen), so an empty room idle for {@link #ROOM_IDLE} is dropped; its history is in the store, and its next
   * use creates it again.
   */
  Room room(Site site, String slug) {
    return room(site.siteId(), slug);
  }

  private Room room(long siteId, String slug) {
    String key = siteId + "/" + slug;
    Room r = rooms.get(key);
    if (r == null) {
      r = rooms.computeIfAbsent(key, k -> new Room(siteId, slug));
      sweepIfDue();
    }
    r.touch();
    return r;
  }

  private void sweepIfDue() {
    long now = clock.millis();
    long last = lastSweepMillis.get();
    if (now - last >= SWEEP_EVERY.toMillis() && lastSweepMillis.compareAndSet(last, now)) {
      evictIdleRooms(now);
    }
  }

  /** Drops rooms without sockets, appends in flight or use within {@link #ROOM_IDLE}; returns how many. */
  int evictIdleRooms(long nowMillis) {
    int evicted = 0;
    for (Room r : rooms.values()) {
      if (r.evictIfIdle(nowMillis)) {
        evicted++;
      }
    }
    return evicted;
  }

  /** Rooms held in memory. */
  int activeRooms() {
    return rooms.size();
  }

  /** One room: its sockets and its history sequence. */
  final class Room {
    final long siteId;
    final String slug;
    final List<RoomSocket> sockets = new CopyOnWriteArrayList<>();
    private final byte[] msgPrefix;
    private final Object lock = new Object();
    private long lastId = -1;
    /** Appends whose commit has not completed (counted up under {@link #lock}): while any, the room stays. */
    private final AtomicInteger appending = new AtomicInteger();
    /** Set under {@link #lock} when dropped from the map: users then go to the room's new instance. */
    private boolean evicted;
    private volatile long lastUsedMillis = clock.millis();

    Room(long siteId, String slug) {
      this.siteId = siteId;
      this.slug = slug;
      this.msgPrefix = Keys.of("rooms", "msg", Long.toString(siteId), slugKey(slug), "");
    }

    byte[] midKey(String messageId) {
      return Keys.of("rooms", "mid", Long.toString(siteId), slugKey(slug), messageId);
    }

    Site site() {
      return sites.get(siteId);
    }

    void touch() {
      lastUsedMillis = clock.millis();
    }

    private boolean evictIfIdle(long nowMillis) {
      synchronized (lock) {
        if (evicted || !sockets.isEmpty() || appending.get() > 0
            || nowMillis - lastUsedMillis < ROOM_IDLE.toMillis()) {
          return false;
        }
        evicted = true;
        rooms.remove(siteId + "/" + slug, this);
        return true;
      }
    }

    /** Adds {@code s} to this room, or to the room's live instance if this one was dropped; returns that room. */
    Room join(RoomSocket s) {
      synchronized (lock) {
        if (!evicted) {
          sockets.add(s);
          touch();
          return this;
        }
      }
      return room(siteId, slug).join(s);
    }

    void leave(RoomSocket s) {
      sockets.remove(s);
      touch();
    }

    /**
     * Stores a message with the room's next id (§5.3 step 4) and completes with its object once durable; the id is
     * assigned and the batch committed under the room's lock, so ids follow commit order.
     */
    CompletableFuture<String> append(SiteToken.User user, String messageId, String data) {
      Instant now = Instant.now(clock);
      String userCreated = userCreatedAt(siteId, user.userId(), now);
      synchronized (lock) {
        if (evicted) {
          return room(siteId, slug).append(user, messageId, data); // dropped meanwhile: its new instance numbers on
        }
        if (lastId < 0) {
          long[] last = {0};
          store.scanPrefix(msgPrefix, true, (k, v) -> {
            last[0] = Keys.readLong(k, k.length - 8);
            return false;
          });
          lastId = last[0];
        }
        long id = lastId + 1;
        String json = "{\"category\":\"text\",\"data\":" + Json.quote(data) + ",\"created_at\":"
            + Json.quote(Timestamps.isoNanos(now)) + ",\"user\":" + userJson(user, userCreated) + ",\"id\":" + id
            + ",\"message_id\":" + Json.quote(messageId) + "}";
        WriteBatch batch = new WriteBatch().requireAbsent(midKey(messageId))
            .put(midKey(messageId), Keys.utf8(user.userId() + ":" + id))
            .put(Keys.withLong(msgPrefix, id), json.getBytes(StandardCharsets.UTF_8))
            .put(userKey(siteId, user.userId()), Keys.utf8(userCreated));
        long evict = id - config.historyMaxPerRoom();
        if (evict >= 1) {
          byte[] old = store.get(Keys.withLong(msgPrefix, evict));
          batch.delete(Keys.withLong(msgPrefix, evict));
          if (old != null) {
            String oldMid = messageIdOf(new String(old, StandardCharsets.UTF_8));
            if (oldMid != null) {
              batch.delete(midKey(oldMid));
            }
          }
        }
        lastId = id;
        appending.incrementAndGet();
        touch();
        // Fan-out is attached under the lock, so sockets receive a room's messages in id order (§6).
        return store.commit(batch).whenComplete((r, err) -> {
          touch();
          appending.decrementAndGet();
        }).thenApply(r -> {
          if (r instanceof CommitResult.Conflict) {
            return null; // the same message_id was stored meanwhile (this id stays unused): answered as a repeat
          }
          publish(json, user.userId());
          return json;
        });
      }
    }

    /** The stored object of an already-posted {@code messageId}, with its poster, or null. */
    String[] existing(String messageId) {
      byte[] v = store.get(midKey(messageId));
      if (v == null) {
        return null;
      }
      String[] parts = new String(v, StandardCharsets.UTF_8).split(":");
      byte[] msg = store.get(Keys.withLong(msgPrefix, Long.parseLong(parts[1])));
      return new String[] {parts[0], msg == null ? null : new String(msg, StandardCharsets.UTF_8)};
    }

    /** Newest {@code limit} messages with id < {@code before}, oldest first; plus whether older ones exist. */
    List<String> history(int limit, long before) {
      List<String> newestFirst = new ArrayList<>();
      byte[] to = before == Long.MAX_VALUE ? Keys.prefixEnd(msgPrefix) : Keys.withLong(msgPrefix, before);
      store.scan(msgPrefix, to, true, (k, v) -> {
        newestFirst.add(new String(v, StandardCharsets.UTF_8));
        return newestFirst.size() < limit + 1;
      });
      List<String> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
      java.util.Collections.reverse(page);
      if (newestFirst.size() > limit) {
        page.add(null); // marker: older messages exist
      }
      return page;
    }

    /** Fans a stored message out to every socket but the sender's (§5.2): encoded once, a duplicate each. */
    void publish(String json, long senderUserId) {
      boolean privateSite = site() != null && site().isPrivate();
      ByteBuf frame = WebSocketFrames.text(ByteBufAllocator.DEFAULT,
          Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
      try {
        for (RoomSocket s : sockets) {
          long uid = s.userId();
          if (uid == senderUserId || (privateSite && uid < 0)) {
            continue;
          }
          s.deliver(frame.retainedDuplicate());
        }
      } finally {
        frame.release();
      }
    }

    String presenceJson() {
      int authenticated = 0;
      Set<Long> users = new HashSet<>();
      for (RoomSocket s : sockets) {
        if (s.userId() > 0) {
          authenticated++;
          users.add(s.userId());
        }
      }
      return "{\"site_id\":" + siteId + ",\"slug\":" + Json.quote(slug) + ",\"sockets\":" + sockets.size()
          + ",\"authenticated_sockets\":" + authenticated + ",\"users\":" + users.size() + "}";
    }
  }

  private static byte[] userKey(long siteId, long userId) {
    return Keys.of("rooms", "user", Long.toString(siteId), Long.toString(userId));
  }

  private String userCreatedAt(long siteId, long userId, Instant now) {
    byte[] v = store.get(userKey(siteId, userId));
    return v == null ? DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        : new String(v, StandardCharsets.UTF_8);
  }

  static String userJson(SiteToken.User u, String createdAt) {
    return "{\"id\":" + u.userId() + ",\"mixin_user_id\":" + Json.quote(u.mixinUserId())
        + ",\"mixin_identity_number\":" + Json.quote(u.mixinIdentityNumber()) + ",\"full_name\":"
        + Json.quote(u.fullName()) + ",\"avatar_url\":" + Json.quote(u.avatarUrl()) + ",\"mvm_public_key\":"
        + Json.quote(u.mvmPublicKey()) + ",\"created_at\":" + Json.quote(createdAt) + "}";
  }

  static String slugKey(String slug) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(slug.getBytes(StandardCharsets.UTF_8));
  }

  private static String messageIdOf(String json) {
    int i = json.lastIndexOf("\"message_id\":\"");
    return i < 0 ? null : json.substring(i + 14, json.indexOf('"', i + 14));
  }
}
