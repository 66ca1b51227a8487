package io.switchboard.server.devices;

import io.switchboard.server.http.Json;
import io.switchboard.server.http.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-app activity log (devices.md §8.4): rejections, refused and replaced connections. Bounded per app
 * ({@code devices.activityLog.maxEntries}); entries with the same (kind, reason, deviceId) within 60 s merge into
 * one with a count, so a misbehaving device cannot flood it. Kept in memory: it is a diagnostic view, not state a
 * client depends on, and it starts empty after a restart.
 */
final class ActivityLog {
  private static final long MERGE_MILLIS = 60_000;

  /** One entry; mutable only under its app's lock (count, detail, last time). */
  static final class Entry {
    final Instant at;
    final String kind;
    final String reason;
    final String deviceId;
    final String remote;
    final String platform;
    String detail;
    int count = 1;
    long lastMillis;

    Entry(Instant at, String kind, String reason, String deviceId, String remote, String platform, String detail) {
      this.at = at;
      this.kind = kind;
      this.reason = reason;
      this.deviceId = deviceId;
      this.remote = remote;
      this.platform = platform;
      this.detail = detail;
      this.lastMillis = at.toEpochMilli();
    }

    String toJson() {
      StringBuilder sb = new StringBuilder("{\"at\":").append(Json.quote(Timestamps.iso(at)))
          .append(",\"kind\":").append(Json.quote(kind));
      field(sb, "reason", reason);
      field(sb, "deviceId", deviceId);
      field(sb, "remote", remote);
      field(sb, "platform", platform);
      sb.append(",\"count\":").append(count);
      field(sb, "detail", detail);
      return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
      if (value != null) {
        sb.append(",\"").append(name).append("\":").append(Json.quote(value));
      }
    }
  }

  private final Clock clock;
  private final int maxEntries;
  private final Map<String, ArrayDeque<Entry>> byApp = new ConcurrentHashMap<>();

  ActivityLog(Clock clock, int maxEntries) {
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  void add(String appKey, String kind, String reason, String deviceId, String remote, String platform,
      String detail) {
    ArrayDeque<Entry> log = byApp.computeIfAbsent(appKey, k -> new ArrayDeque<>());
    long now = clock.millis();
    synchronized (log) {
      for (Iterator<Entry> it = log.descendingIterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (now - e.lastMillis > MERGE_MILLIS) {
          break;
        }
        if (e.kind.equals(kind) && Objects.equals(e.reason, reason) && Objects.equals(e.deviceId, deviceId)) {
          e.count++;
          e.detail = detail;
          e.lastMillis = now;
          return;
        }
      }
      log.addLast(new Entry(Instant.ofEpochMilli(now), kind, reason, deviceId, remote, platform, detail));
      while (log.size() > maxEntries) {
        log.pollFirst();
      }
    }
  }

  /** {@code {"entries":[...]}}, newest first, at most {@code limit}. */
  String toJson(String appKey, int limit) {
    ArrayDeque<Entry> log = byApp.get(appKey);
    StringBuilder sb = new StringBuilder("{\"entries\":[");
    if (log != null) {
      synchronized (log) {
        int n = 0;
        for (Iterator<Entry> it = log.descendingIterator(); it.hasNext() && n < limit; n++) {
          if (n > 0) {
            sb.append(',');
          }
          sb.append(it.next().toJson());
        }
      }
    }
    return sb.append("]}").toString();
  }
}
