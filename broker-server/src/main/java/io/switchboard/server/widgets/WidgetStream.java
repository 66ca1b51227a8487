package io.switchboard.server.widgets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.switchboard.core.store.CommitResult;
import io.switchboard.core.store.Keys;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.core.stream.ChannelSubscriber;
import io.switchboard.core.stream.Stream;
import io.switchboard.core.stream.Subscriber;
import io.switchboard.server.pipeline.HandlerNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One widget stream's state (widgets.md §5, §6): its viewers, its sequence, its durable broadcast history and its
 * private resume buffer.
 *
 * <p><b>Ordering.</b> Every event but {@code init} takes the next {@code seq} under the stream's lock, and events
 * reach the core {@link Stream} strictly in {@code seq} order: an event that is ready early (a private message)
 * waits in {@link #ready} behind a broadcast still being committed. Joining viewers subscribe under the same lock,
 * so a viewer's {@code init} id is exactly the last event published before it joined, and every later one reaches
 * it live.
 *
 * <p><b>Sequence durability.</b> A ceiling ({@code widgets/seq/<id>}) is stored ahead of the numbers handed out, in
 * steps of {@link #SEQ_STEP}; after a restart the sequence continues above it, so numbers are never reused even for
 * events that are not stored (private, system).
 *
 * <p>Store layout: {@code widgets/hist/<id>/<seq 8B>} the broadcast envelope; {@code widgets/seq/<id>} the ceiling.
 */
final class WidgetStream {
  static final int SEQ_STEP = 1024;
  private static final int MAX_PRIVATES = 10_000;

  final String id;
  private final WidgetsService svc;
  private final Stream stream;
  private final byte[] histPrefix;
  private final byte[] seqKey;
  private final Object lock = new Object();
  private boolean loaded;
  private long assigned;
  private long published;
  private long ceiling;
  private final TreeMap<Long, Outgoing> ready = new TreeMap<>();
  private final ArrayDeque<Long> history = new ArrayDeque<>();
  private final ArrayDeque<PrivateEntry> privates = new ArrayDeque<>();
  private final Set<Viewer> viewers = new LinkedHashSet<>();
  private final Map<String, Viewer> byUser = new HashMap<>();

  private record Outgoing(byte[] json, Subscriber only, Subscriber except) {}

  private record PrivateEntry(long seq, String toUserId, byte[] json, long atMillis) {}

  /** A stored or buffered event to replay on resume. */
  record Replay(long seq, byte[] json) {}

  /** What a joining viewer learns: its {@code init} id and the viewer count including itself. */
  record Joined(long initSeq, int viewers) {}

  WidgetStream(String id, WidgetsService svc, Stream stream) {
    this.id = id;
    this.svc = svc;
    this.stream = stream;
    this.histPrefix = Keys.of("widgets", "hist", id, "");
    this.seqKey = Keys.of("widgets", "seq", id);
  }

  /** Loads the history index and the sequence ceiling on first use. Under the lock. */
  private void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    svc.store.scanPrefix(histPrefix, false, (k, v) -> {
      history.addLast(Keys.readLong(k, k.length - 8));
      return true;
    });
    byte[] c = svc.store.get(seqKey);
    long stored = c == null ? 0 : Long.parseLong(new String(c, java.nio.charset.StandardCharsets.US_ASCII));
    long last = Math.max(stored, history.isEmpty() ? 0 : history.peekLast());
    assigned = last;
    published = last;
    ceiling = last;
  }

  /** The next sequence number; stores a new ceiling first when the old one is reached. Under the lock. */
  private long assign() {
    load();
    long seq = ++assigned;
    if (seq > ceiling) {
      ceiling = seq + SEQ_STEP;
      svc.store.put(seqKey, Long.toString(ceiling).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    return seq;
  }

  /**
   * Marks {@code seq} ready ({@code json} null: nothing to send, the number is skipped) and publishes every event
   * that is now in order. Under the lock.
   */
  private void complete(long seq, byte[] json, Subscriber only, Subscriber except) {
    ready.put(seq, new Outgoing(json, only, except));
    Map.Entry<Long, Outgoing> head;
    while ((head = ready.firstEntry()) != null && head.getKey() == published + 1) {
      ready.pollFirstEntry();
      published++;
      Outgoing o = head.getValue();
      if (o.json != null) {
        stream.publish(Unpooled.wrappedBuffer(o.json), published, o.only, o.except);
      }
    }
  }

  /** A stream subscriber handler for one viewer's channel; it subscribes when {@link #join} adds it. */
  ChannelSubscriber subscriber(io.switchboard.core.stream.FrameShape shape,
      java.util.function.Consumer<io.netty.channel.ChannelHandlerContext> onSlowConsumer) {
    return new ChannelSubscriber(stream, shape, onSlowConsumer);
  }

  int viewerCount() {
    synchronized (lock) {
      return viewers.size();
    }
  }

  boolean isFull() {
    return viewerCount() >= svc.config.maxSubscribersPerStream();
  }

  /**
   * Adds {@code v}, whose identity is set: subscribes its {@code subscriber} handler into {@code pipeline} (on the
   * viewer's loop) and sends {@code join} to every other viewer.
   */
  Joined join(Viewer v, ChannelPipeline pipeline, ChannelSubscriber subscriber) {
    synchronized (lock) {
      load();
      viewers.add(v);
      byUser.put(v.userId, v);
      v.subscriber = subscriber;
      pipeline.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SUBSCRIBER, subscriber);
      int count = viewers.size();
      long initSeq = published;
      long seq = assign();
      complete(seq, Envelopes.system(id, "join", count), null, subscriber);
      return new Joined(initSeq, count);
    }
  }

  /** Removes {@code v} and tells the others ({@code leave}), unless the stream ended. */
  void leave(Viewer v, boolean ended) {
    synchronized (lock) {
      if (!viewers.remove(v)) {
        return;
      }
      if (byUser.get(v.userId) == v) {
        byUser.remove(v.userId);
      }
      if (!ended) {
        long seq = assign();
        complete(seq, Envelopes.system(id, "leave", viewers.size()), null, null);
      }
    }
  }

  /** The open viewer of {@code userId}, or null. */
  Viewer viewer(String userId) {
    synchronized (lock) {
      return byUser.get(userId);
    }
  }

  /**
   * Stores a broadcast with the next {@code seq} and, once durable, fans it out to every viewer. Completes with the
   * envelope, or exceptionally when the store failed (the number is then skipped).
   */
  CompletableFuture<byte[]> broadcast(String authorId, String messageJson, String timestamp, String widgetKey) {
    synchronized (lock) {
      long seq = assign();
      byte[] json = Envelopes.envelope(id, authorId, "", messageJson, timestamp, "broadcast", widgetKey, seq);
      // The seq is new (assigned past every stored one), so the writer reads nothing: no old value's expiry-index
      // entry to drop; an expiring entry shares its round's index entry (WriteBatch#groupableExpiry). The trimmed
      // entry is deleted without a read too; an index entry left naming it is dropped by the sweep.
      WriteBatch batch = new WriteBatch();
      Duration maxAge = svc.config.historyMaxAge();
      batch.putNew(Keys.withLong(histPrefix, seq), json,
          maxAge == null ? null : WriteBatch.groupableExpiry(Instant.now(svc.clock).plus(maxAge)));
      history.addLast(seq);
      while (history.size() > svc.config.historyMaxPerStream()) {
        batch.deletePlain(Keys.withLong(histPrefix, history.pollFirst()));
      }
      CompletableFuture<CommitResult> commit;
      try {
        commit = svc.store.commit(batch);
      } catch (RuntimeException e) {
        commit = CompletableFuture.failedFuture(e);
      }
      // Attached under the lock: store completions run in commit order, so seq order is kept.
      return commit.handle((r, err) -> {
        synchronized (lock) {
          if (err != null) {
            history.remove(seq);
            complete(seq, null, null, null);
            throw new java.util.concurrent.CompletionException(err);
          }
          complete(seq, json, null, null);
          return json;
        }
      });
    }
  }

  /** Sends a private envelope to {@code toUserId}'s open viewer (if any) and keeps it for resume. */
  void sendPrivate(String toUserId, String authorId, String messageJson, String timestamp,
      String widgetKey) {
    synchronized (lock) {
      long seq = assign();
      byte[] json = Envelopes.envelope(id, authorId, toUserId, messageJson, timestamp, "private", widgetKey, -1);
      long now = svc.clock.millis();
      privates.addLast(new PrivateEntry(seq, toUserId, json, now));
      prunePrivates(now);
      Viewer live = byUser.get(toUserId);
      complete(seq, live == null ? null : json, live == null ? null : live.subscriber, null);
    }
  }

  /** Sends a broker event to one viewer ({@code request} reply, {@code webhook} outcome); false if it is gone. */
  boolean sendTo(String userId, byte[] json) {
    synchronized (lock) {
      Viewer v = byUser.get(userId);
      if (v == null) {
        return false;
      }
      long seq = assign();
      complete(seq, json, v.subscriber, null);
      return true;
    }
  }

  private void prunePrivates(long now) {
    long retention = svc.config.privateRetention().toMillis();
    while (!privates.isEmpty()
        && (now - privates.peekFirst().atMillis >= retention || privates.size() > MAX_PRIVATES)) {
      privates.pollFirst();
    }
  }

  /**
   * Stored broadcasts with {@code after < seq <= upTo}, oldest first, at most the newest {@code max}. A store scan:
   * callers run it off the event loops, except for the short catch-up range at join.
   */
  List<Replay> storedRange(long after, long upTo, int max) {
    ArrayDeque<Replay> newest = new ArrayDeque<>();
    if (max > 0 && after < upTo) {
      byte[] from = Keys.withLong(histPrefix, Math.max(0, after + 1));
      byte[] to = upTo == Long.MAX_VALUE ? Keys.prefixEnd(histPrefix) : Keys.withLong(histPrefix, upTo + 1);
      svc.store.scan(from, to, true, (k, v) -> {
        newest.addFirst(new Replay(Keys.readLong(k, k.length - 8), v));
        return newest.size() < max;
      });
    }
    return new ArrayList<>(newest);
  }

  /** The buffered private envelopes to {@code userId} with {@code after < seq <= upTo}, oldest first. */
  List<Replay> privatesFor(String userId, long after, long upTo) {
    List<Replay> out = new ArrayList<>();
    synchronized (lock) {
      prunePrivates(svc.clock.millis());
      for (PrivateEntry p : privates) {
        if (p.seq > after && p.seq <= upTo && p.toUserId.equals(userId)) {
          out.add(new Replay(p.seq, p.json));
        }
      }
    }
    return out;
  }

  /**
   * What a resuming viewer missed (§6): the stored broadcasts {@code preloaded} off the loop (any upper bound),
   * cut at its {@code init} id, plus those committed between that load and the join (a short scan), at most the
   * newest {@code resume.maxEvents}; merged in seq order with its buffered privates when {@code userId} is set.
   */
  List<Replay> replay(long lastEventId, long initSeq, List<Replay> preloaded, String userId) {
    int max = svc.config.resumeMaxEvents();
    List<Replay> out = new ArrayList<>();
    long loadedUpTo = lastEventId;
    for (Replay r : preloaded) {
      if (r.seq() <= initSeq) {
        out.add(r);
      }
      loadedUpTo = Math.max(loadedUpTo, r.seq());
    }
    if (loadedUpTo < initSeq) {
      out.addAll(storedRange(loadedUpTo, initSeq, max));
    }
    if (out.size() > max) {
      out = new ArrayList<>(out.subList(out.size() - max, out.size()));
    }
    if (userId != null) {
      out.addAll(privatesFor(userId, lastEventId, initSeq));
      out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    }
    return out;
  }

  /**
   * Stored broadcasts for a {@code request} (§5.5): with {@code after}, the oldest {@code limit} above it;
   * otherwise the newest {@code limit}. Oldest first.
   */
  List<byte[]> stored(Long after, int limit) {
    List<byte[]> out = new ArrayList<>();
    if (after != null) {
      byte[] from = Keys.withLong(histPrefix, Math.max(0, after + 1));
      svc.store.scan(from, Keys.prefixEnd(histPrefix), false, (k, v) -> {
        out.add(v);
        return out.size() < limit;
      });
    } else {
      svc.store.scanPrefix(histPrefix, true, (k, v) -> {
        out.add(v);
        return out.size() < limit;
      });
      Collections.reverse(out);
    }
    return out;
  }

  /**
   * Ends the stream (§5.2): every viewer gets {@code {"status":"end","viewer_count":0}}, then its transport ends
   * the subscription once that event went out.
   */
  void end() {
    List<Viewer> all;
    long seq;
    synchronized (lock) {
      seq = assign();
      complete(seq, Envelopes.system(id, "end", 0), null, null);
      all = new ArrayList<>(viewers);
    }
    for (Viewer v : all) {
      if (v.ender != null) {
        v.ender.accept(seq);
      }
    }
  }
}
