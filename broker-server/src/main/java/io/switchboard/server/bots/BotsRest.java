package io.switchboard.server.bots;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.codec.auth.jwt.RequestSig;
import io.switchboard.codec.auth.jwt.TokenVerdict;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import io.switchboard.server.http.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The REST subset (bots.md §5.6–§5.8, §8.2): {@code POST /messages}, {@code /acknowledgements},
 * {@code /conversations}, authenticated with the same JWT ({@code sig} over method + URI + body). Errors travel as
 * HTTP 202 (500 for 500/7000/7001) with {@code {"error":{...}}}, as the original API does, so SDKs raise them.
 */
final class BotsRest {
  private final BotsService svc;

  BotsRest(BotsService svc) {
    this.svc = svc;
  }

  void messages(HttpExchange ex) {
    Bot bot = authenticate(ex);
    if (bot == null) {
      return;
    }
    List<MessageIn> messages;
    boolean batch;
    try {
      checkBody(ex);
      batch = firstToken(ex.body()) == JsonToken.START_ARRAY;
      messages = parseMessages(ex.body());
    } catch (BotsError e) {
      error(ex, e);
      return;
    }
    java.util.concurrent.CompletableFuture<BotsService.Accepted> accepting;
    try {
      accepting = svc.accept(bot, messages, batch);
    } catch (BotsError e) {
      error(ex, e); // recipients and ownership are checked before anything is written
      return;
    }
    accepting.whenComplete((accepted, err) -> {
      if (err == null) {
        respond(ex, HttpResponseStatus.OK, "{}");
        svc.pushAccepted(accepted);
      } else {
        Throwable c = err.getCause() != null ? err.getCause() : err;
        error(ex, c instanceof BotsError be ? be : BotsError.internal());
      }
    });
  }

  void acknowledgements(HttpExchange ex) {
    Bot bot = authenticate(ex);
    if (bot == null) {
      return;
    }
    List<BotsService.Ack> acks;
    try {
      checkBody(ex);
      acks = parseAcks(ex.body(), svc.config.restMaxBatch());
    } catch (BotsError e) {
      error(ex, e);
      return;
    }
    svc.acknowledge(bot.uid(), acks).whenComplete((v, err) -> {
      if (err != null) {
        error(ex, BotsError.internal());
        return;
      }
      StringBuilder sb = new StringBuilder("{\"data\":[");
      for (int i = 0; i < acks.size(); i++) {
        sb.append(i == 0 ? "" : ",").append("{\"message_id\":").append(Json.quote(acks.get(i).messageId()))
            .append(",\"status\":").append(Json.quote(acks.get(i).status())).append('}');
      }
      respond(ex, HttpResponseStatus.OK, sb.append("]}").toString());
    });
  }

  void conversations(HttpExchange ex) {
    Bot bot = authenticate(ex);
    if (bot == null) {
      return;
    }
    java.util.concurrent.CompletableFuture<Conversations.Conversation> created;
    try {
      checkBody(ex);
      created = createConversation(bot, ex.body());
    } catch (BotsError e) {
      error(ex, e);
      return;
    }
    created.whenComplete((c, err) -> {
      if (err == null) {
        respond(ex, HttpResponseStatus.OK, "{\"data\":" + conversationJson(c) + "}");
      } else {
        Throwable cause = err.getCause() != null ? err.getCause() : err;
        error(ex, cause instanceof BotsError be ? be : BotsError.internal());
      }
    });
  }

  private java.util.concurrent.CompletableFuture<Conversations.Conversation> createConversation(Bot bot,
      ByteBuf body) {
    String category = null;
    String id = null;
    String name = "";
    List<String> participants = new ArrayList<>();
    try (JsonParser p = parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw BotsError.badRequest("The request body can't be parsed as valid data.");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "category" -> category = p.getValueAsString();
          case "conversation_id" -> id = p.getValueAsString();
          case "name" -> name = p.getValueAsString("");
          case "participants" -> {
            if (t != JsonToken.START_ARRAY) {
              throw BotsError.invalidField("participants", -1);
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String pf = p.currentName();
                p.nextToken();
                if ("user_id".equals(pf)) {
                  participants.add(String.valueOf(p.getValueAsString()).toLowerCase(java.util.Locale.ROOT));
                } else {
                  p.skipChildren();
                }
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw BotsError.badRequest("The request body can't be parsed as valid data.");
    }
    if (!"CONTACT".equals(category) && !"GROUP".equals(category)) {
      throw BotsError.invalidField("category", -1);
    }
    if (!Bot.isUuid(id)) {
      throw BotsError.invalidField("conversation_id", -1);
    }
    id = id.toLowerCase(java.util.Locale.ROOT);
    Set<String> members = new LinkedHashSet<>();
    members.add(bot.uid());
    members.addAll(participants);
    if ("CONTACT".equals(category)) {
      if (participants.size() != 1 || !id.equals(Conversations.contactId(bot.uid(), participants.get(0)))) {
        throw BotsError.invalidField("conversation_id", -1);
      }
    } else if (members.size() > 256) {
      throw BotsError.groupFull();
    } else if (name.length() > 512) {
      throw BotsError.invalidField("name", -1);
    }
    for (String m : members) {
      if (svc.bot(m) == null) {
        throw BotsError.notFound();
      }
    }
    Conversations.Conversation existing = svc.conversations.get(id);
    if (existing != null) {
      if (existing.category().equals(category) && existing.has(bot.uid())) {
        return java.util.concurrent.CompletableFuture.completedFuture(existing);
      }
      throw BotsError.forbidden();
    }
    Conversations.Conversation c = new Conversations.Conversation(id, category, bot.uid(), name,
        List.copyOf(members), Instant.now(svc.clock));
    io.switchboard.core.store.WriteBatch batch = new io.switchboard.core.store.WriteBatch()
        .requireAbsent(Conversations.key(id));
    Conversations.put(batch, c);
    return svc.store.commit(batch).thenApply(result -> {
      if (result instanceof io.switchboard.core.store.CommitResult.Conflict) {
        throw BotsError.forbidden(); // created concurrently by someone else
      }
      return c;
    });
  }

  private static String conversationJson(Conversations.Conversation c) {
    String at = Timestamps.isoNanos(c.createdAt());
    StringBuilder sb = new StringBuilder("{\"type\":\"conversation\",\"conversation_id\":").append(Json.quote(c.id()))
        .append(",\"creator_id\":").append(Json.quote(c.creator())).append(",\"category\":")
        .append(Json.quote(c.category())).append(",\"name\":").append(Json.quote(c.name()))
        .append(",\"icon_url\":\"\",\"announcement\":\"\",\"created_at\":").append(Json.quote(at))
        .append(",\"code_id\":\"\",\"code_url\":\"\",\"mute_until\":\"0001-01-01T00:00:00Z\",\"participants\":[");
    for (int i = 0; i < c.participants().size(); i++) {
      String u = c.participants().get(i);
      sb.append(i == 0 ? "" : ",").append("{\"type\":\"participant\",\"user_id\":").append(Json.quote(u))
          .append(",\"role\":").append(u.equals(c.creator()) ? "\"OWNER\"" : "\"\"").append(",\"created_at\":")
          .append(Json.quote(at)).append('}');
    }
    return sb.append("]}").toString();
  }

  // ---- auth and responses ----

  private Bot authenticate(HttpExchange ex) {
    if (ex.method() != HttpMethod.POST) {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
      return null;
    }
    String token = ex.bearerToken() == null ? "" : ex.bearerToken();
    String ip = ex.remoteAddress() == null ? "?" : ex.remoteAddress().getAddress().getHostAddress();
    long now = svc.clock.millis();
    String claimedUid = BotsAuth.claimedUid(token);
    long retry = svc.throttle.retryAfterSeconds(ip, claimedUid, now);
    if (retry > 0) {
      svc.outcomes.rejected(BotsService.DIALECT, "login_throttled");
      delayed(ex, BotsError.tooMany());
      return null;
    }
    TokenVerdict v = svc.verifier.verify(token, RequestSig.of(ex.method().name(), ex.request().uri(), ex.body()));
    if (v.accepted()) {
      return svc.bot(v.uid());
    }
    svc.throttle.failed(ip, v.countsAgainstUid() ? v.uid() : null, now);
    svc.outcomes.rejected(BotsService.DIALECT, v.reason().metric());
    delayed(ex, BotsError.unauthorized());
    return null;
  }

  private void delayed(HttpExchange ex, BotsError e) {
    ex.ctx().executor().schedule(() -> error(ex, e), svc.config.failureDelay().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkBody(HttpExchange ex) {
    if (ex.body().readableBytes() > svc.config.restMaxBodyBytes()) {
      throw BotsError.badRequest("The request body is too large.");
    }
  }

  private void error(HttpExchange ex, BotsError e) {
    if (e.code != 401 && e.code != 429) {
      svc.outcomes.rejected(BotsService.DIALECT, e.reason());
    }
    respond(ex, e.status() == 500 ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.ACCEPTED,
        "{\"error\":" + e.toJson() + "}");
  }

  private static void respond(HttpExchange ex, HttpResponseStatus status, String json) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        ByteBufUtil.writeUtf8(ex.ctx().alloc(), json));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    String requestId = ex.header("X-Request-Id");
    if (requestId != null) {
      r.headers().set("X-Request-Id", requestId);
    }
    ex.respond(r, false);
  }

  // ---- bodies ----

  private static JsonParser parser(ByteBuf body) throws IOException {
    return Json.FACTORY.createParser((InputStream) new ByteBufInputStream(body.duplicate()));
  }

  private static JsonToken firstToken(ByteBuf body) {
    try (JsonParser p = parser(body)) {
      return p.nextToken();
    } catch (IOException e) {
      throw BotsError.badRequest("The request body can't be parsed as valid data.");
    }
  }

  private List<MessageIn> parseMessages(ByteBuf body) {
    List<MessageIn> out = new ArrayList<>();
    try (JsonParser p = parser(body)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        out.add(readMessage(p, -1));
      } else if (first == JsonToken.START_ARRAY) {
        int i = 0;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          if (i >= svc.config.restMaxBatch()) {
            throw BotsError.invalidField("messages", i);
          }
          out.add(readMessage(p, i++));
        }
        if (out.isEmpty()) {
          throw BotsError.invalidField("messages", -1);
        }
      } else {
        throw BotsError.badRequest("The request body can't be parsed as valid data.");
      }
    } catch (IOException e) {
      throw BotsError.badRequest("The request body can't be parsed as valid data.");
    }
    return out;
  }

  private MessageIn readMessage(JsonParser p, int index) throws IOException {
    String conv = null;
    String recipient = null;
    String mid = null;
    String category = null;
    String dataB64 = null;
    String data = null;
    String rep = null;
    String quote = null;
    Boolean silent = null;
    Long expire = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "conversation_id" -> conv = p.getValueAsString();
        case "recipient_id" -> recipient = p.getValueAsString();
        case "message_id" -> mid = p.getValueAsString();
        case "category" -> category = p.getValueAsString();
        case "data_base64" -> dataB64 = p.getValueAsString();
        case "data" -> data = p.getValueAsString();
        case "representative_id" -> rep = p.getValueAsString();
        case "quote_message_id" -> quote = p.getValueAsString();
        case "silent" -> silent = t == JsonToken.VALUE_TRUE;
        case "expire_in" -> expire = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1L;
        default -> p.skipChildren();
      }
    }
    return MessageIn.validate(conv, recipient, mid, category, dataB64, data, rep, quote, silent, expire,
        svc.config.maxDataBytes(), index);
  }

  /** {@code [{"message_id","status"}, ...]}: 1 to {@code maxBatch} entries (§5.4, §5.6). */
  static List<BotsService.Ack> parseAcks(ByteBuf array, int maxBatch) {
    List<BotsService.Ack> out = new ArrayList<>();
    try (JsonParser p = parser(array)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw BotsError.invalidField("messages", -1);
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String mid = null;
        String status = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          if ("message_id".equals(f)) {
            mid = p.getValueAsString();
          } else if ("status".equals(f)) {
            status = p.getValueAsString();
          } else {
            p.skipChildren();
          }
        }
        out.add(BotConnection.ack(mid, status));
      }
    } catch (IOException e) {
      throw BotsError.badRequest("The request body can't be parsed as valid data.");
    }
    if (out.isEmpty() || out.size() > maxBatch) {
      throw BotsError.invalidField("messages", -1);
    }
    return out;
  }
}
