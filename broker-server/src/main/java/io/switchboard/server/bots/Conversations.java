package io.switchboard.server.bots;

import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Conversations (bots.md §5.8): stored at {@code bots/conv/<id>}; the CONTACT id of two bots. */
final class Conversations {
  /** A stored conversation. */
  record Conversation(String id, String category, String creator, String name, List<String> participants,
      Instant createdAt) {
    boolean has(String uid) {
      return participants.contains(uid);
    }

    String toJson() {
      StringBuilder sb = new StringBuilder("{\"category\":").append(Json.quote(category))
          .append(",\"creator\":").append(Json.quote(creator)).append(",\"name\":").append(Json.quote(name))
          .append(",\"created_at\":").append(Json.quote(createdAt.toString())).append(",\"participants\":[");
      for (int i = 0; i < participants.size(); i++) {
        sb.append(i == 0 ? "" : ",").append(Json.quote(participants.get(i)));
      }
      return sb.append("]}").toString();
    }
  }

  /** Parsed conversations by id, bounded by {@link #CACHED}: emptied when full. */
  private static final int CACHED = 100_000;

  private final Store store;
  /**
   * A stored conversation never changes (created once under {@code requireAbsent}, never updated or deleted), so a
   * parsed copy stays true: every message of a conversation otherwise paid a store read and a JSON parse.
   */
  private final ConcurrentHashMap<String, Conversation> cache = new ConcurrentHashMap<>();

  Conversations(Store store) {
    this.store = store;
  }

  static byte[] key(String id) {
    return Keys.of("bots", "conv", id);
  }

  Conversation get(String id) {
    Conversation c = cache.get(id);
    if (c != null) {
      return c;
    }
    byte[] v = store.get(key(id));
    if (v == null) {
      return null; // absence is not cached: the conversation may be created at any moment
    }
    c = parse(id, new String(v, StandardCharsets.UTF_8));
    if (cache.size() >= CACHED) {
      cache.clear();
    }
    cache.put(id, c);
    return c;
  }

  static void put(WriteBatch batch, Conversation c) {
    batch.put(key(c.id()), c.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The unique CONTACT id of two bots: MD5 of the smaller uid then the larger, with version nibble 3 and the RFC
   * 4122 variant, as a lower-case UUID (§5.8).
   */
  static String contactId(String a, String b) {
    String lo = a.compareTo(b) <= 0 ? a : b;
    String hi = lo.equals(a) ? b : a;
    byte[] sum;
    try {
      sum = MessageDigest.getInstance("MD5").digest((lo + hi).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sum[6] = (byte) ((sum[6] & 0x0f) | 0x30);
    sum[8] = (byte) ((sum[8] & 0x3f) | 0x80);
    String h = HexFormat.of().formatHex(sum);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
        + h.substring(20);
  }

  private static Conversation parse(String id, String json) {
    try (com.fasterxml.jackson.core.JsonParser p = Json.FACTORY.createParser(json)) {
      String category = "";
      String creator = "";
      String name = "";
      Instant created = Instant.EPOCH;
      List<String> participants = new ArrayList<>();
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "category" -> category = p.getText();
          case "creator" -> creator = p.getText();
          case "name" -> name = p.getText();
          case "created_at" -> created = Instant.parse(p.getText());
          case "participants" -> {
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
              participants.add(p.getText());
            }
          }
          default -> p.skipChildren();
        }
      }
      return new Conversation(id, category, creator, name, List.copyOf(participants), created);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("corrupt conversation " + id, e);
    }
  }
}
