package io.switchboard.server.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.codec.gzip.GzipDeflater;
import io.switchboard.codec.gzip.GzipInflater;
import io.switchboard.codec.gzip.GzipLimits;
import io.switchboard.codec.gzip.Inflated;
import io.switchboard.codec.json.JsonLimits;
import io.switchboard.codec.json.JsonPaths;
import io.switchboard.codec.json.JsonScanException;
import io.switchboard.codec.json.JsonScanner;
import io.switchboard.codec.json.ScanResult;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.core.LoopHandOffs;
import io.switchboard.core.store.Keys;
import io.switchboard.server.http.Json;
import io.switchboard.server.websocket.WebSocketOpened;
import io.switchboard.server.websocket.WebSocketSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One Blaze connection (bots.md §4–§6, §9): binary gzip frames in and out, the actions, pushes from the store with
 * backpressure, redelivery after the visibility timeout, the error pause, keepalive. Lives on its channel's loop;
 * {@link #pushLive}, {@link #pushStatus}, {@link #forget} and {@link #closeReplaced} may be called from anywhere.
 */
final class BotConnection extends ChannelInboundHandlerAdapter {
  static final JsonPaths PATHS = JsonPaths.builder()
      .text("id", 64).text("action", 64)
      .text("params.conversation_id", 64).text("params.recipient_id", 64).text("params.message_id", 64)
      .text("params.category", 128).text("params.data_base64", 1 << 20).text("params.data", 1 << 20)
      .text("params.representative_id", 64).text("params.quote_message_id", 64).field("params.silent")
      .field("params.expire_in").text("params.status", 32).field("params.messages")
      .build();
  private static final int ID = PATHS.slot("id");
  private static final int ACTION = PATHS.slot("action");
  private static final int CONVERSATION_ID = PATHS.slot("params.conversation_id");
  private static final int RECIPIENT_ID = PATHS.slot("params.recipient_id");
  private static final int MESSAGE_ID = PATHS.slot("params.message_id");
  private static final int CATEGORY = PATHS.slot("params.category");
  private static final int DATA_BASE64 = PATHS.slot("params.data_base64");
  private static final int DATA = PATHS.slot("params.data");
  private static final int REPRESENTATIVE_ID = PATHS.slot("params.representative_id");
  private static final int QUOTE_MESSAGE_ID = PATHS.slot("params.quote_message_id");
  private static final int STATUS = PATHS.slot("params.status");
  private static final int SILENT = PATHS.slot("params.silent");
  private static final int EXPIRE_IN = PATHS.slot("params.expire_in");
  private static final int MESSAGES = PATHS.slot("params.messages");
  private static final int PAGE = 32;

  private final BotsService svc;
  private final Bot bot;
  private final JsonScanner scanner;
  private final ScanResult scan = PATHS.newResult();
  private final Map<String, Long> inFlight = new LinkedHashMap<>(); // message_id → push time (nanos)
  private WebSocketSession session;
  private ChannelHandlerContext ctx;
  private GzipInflater inflater;
  private GzipDeflater deflater;
  private ScheduledFuture<?> pinger;
  private ScheduledFuture<?> redelivery;
  private ReplyDeadlines deadlines;
  private volatile boolean subscribed;
  private byte[] listCursor; // next pending key to push for a LIST_PENDING_MESSAGES in progress, or null
  /** A {@link #flushSoon} task is queued and has not run yet. */
  private boolean flushQueued;
  private final Runnable flushQueuedWrites = () -> {
    flushQueued = false;
    ctx.flush();
  };

  BotConnection(BotsService svc, Bot bot) {
    this.svc = svc;
    this.bot = bot;
    this.scanner = new JsonScanner(new JsonLimits(svc.config.maxJsonDepth(), svc.config.maxInflatedBytes(), 64, 256));
  }

  void bind(WebSocketSession s) {
    this.session = s;
  }

  String uid() {
    return bot.uid();
  }

  boolean subscribed() {
    return subscribed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.inflater = new GzipInflater(GzipLimits.defaults().withMaxInflatedBytes(svc.config.maxInflatedBytes()),
        ctx.alloc());
    this.deflater = new GzipDeflater(svc.config.gzipLevel(), ctx.alloc());
    this.deadlines = new ReplyDeadlines(ctx.executor(), svc.config.replyDeadline().toMillis());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketOpened) {
      svc.connected(this);
      long ping = svc.config.pingInterval().toMillis();
      pinger = ctx.executor().scheduleAtFixedRate(
          () -> ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise()), ping, ping, TimeUnit.MILLISECONDS);
      long tick = Math.max(50, Math.min(1000, svc.config.redeliveryAfter().toMillis() / 4));
      redelivery = ctx.executor().scheduleAtFixedRate(this::redeliverDue, tick, tick, TimeUnit.MILLISECONDS);
    } else if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
      session.fail(CloseCodes.IDLE_TIMEOUT, "idle timeout");
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pinger != null) {
      pinger.cancel(false);
      redelivery.cancel(false);
    }
    svc.disconnected(this);
    if (!inFlight.isEmpty()) {
      // §6: pushed but unacknowledged messages stay due for redelivery on another subscribed connection.
      BotConnection other = svc.pickSubscribed(bot.uid());
      if (other != null) {
        other.adopt(new LinkedHashMap<>(inFlight));
      }
      inFlight.clear();
    }
    inflater.close();
    deflater.close();
    super.channelInactive(ctx);
  }

  void closeReplaced() {
    session.close(CloseCodes.REPLACED, "replaced by a newer connection");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BinaryWebSocketFrame f) {
      Inflated in;
      try {
        in = inflater.inflate(f.content());
      } finally {
        f.release();
      }
      switch (in.status()) {
        case OK -> {
          try {
            onJson(in.content());
          } finally {
            in.content().release();
          }
        }
        case NOT_GZIP -> refuseFrame("not_gzip", CloseCodes.INVALID_PAYLOAD, "invalid gzip payload");
        case INFLATED_TOO_LARGE -> refuseFrame("inflated_too_large", CloseCodes.TOO_BIG, "message too big");
      }
    } else if (msg instanceof TextWebSocketFrame) {
      ReferenceCountUtil.release(msg);
      refuseFrame("text_frame", CloseCodes.UNSUPPORTED_DATA, "binary gzip frames only");
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /** §4: an ERROR frame (400), then the close. */
  private void refuseFrame(String reason, int code, String closeReason) {
    svc.outcomes.rejected(BotsService.DIALECT, reason);
    write(error(UUID.randomUUID().toString(), "ERROR", BotsError.badRequest(
        "Frames must be binary gzip-compressed JSON.")));
    ctx.flush();
    session.close(code, closeReason);
  }

  private void onJson(ByteBuf json) {
    try {
      scanner.scan(json, scan);
    } catch (JsonScanException e) {
      malformed(null);
      return;
    }
    String id = scan.present(ID) ? scan.text(ID) : null;
    String action = scan.present(ACTION) ? scan.text(ACTION) : null;
    if (id == null || action == null) {
      malformed(id);
      return;
    }
    switch (action) {
      case "LIST_PENDING_MESSAGES" -> listPending(id);
      case "CREATE_MESSAGE" -> createMessage(id);
      case "ACKNOWLEDGE_MESSAGE_RECEIPT" -> acknowledge(id, action, json, false);
      case "ACKNOWLEDGE_MESSAGE_RECEIPTS" -> acknowledge(id, action, json, true);
      default -> replyError(id, action, BotsError.badRequest("Unsupported action."), "unsupported_action");
    }
  }

  private void malformed(String id) {
    replyError(id == null ? UUID.randomUUID().toString() : id, "ERROR",
        BotsError.badRequest("The request body can't be parsed as valid data."), "malformed");
  }

  /** The string at {@code slot} (slots resolved once, above), or null when absent or not a string. */
  private String text(int slot) {
    return scan.present(slot) && scan.kind(slot) == io.switchboard.codec.json.JsonKind.STRING ? scan.text(slot) : null;
  }

  private void createMessage(String id) {
    MessageIn m;
    try {
      m = MessageIn.validate(text(CONVERSATION_ID), text(RECIPIENT_ID),
          text(MESSAGE_ID), text(CATEGORY), text(DATA_BASE64), text(DATA),
          text(REPRESENTATIVE_ID), text(QUOTE_MESSAGE_ID),
          scan.present(SILENT) ? scan.kind(SILENT) == io.switchboard.codec.json.JsonKind.TRUE : null,
          scan.present(EXPIRE_IN) && scan.isLong(EXPIRE_IN) ? scan.longValue(EXPIRE_IN) : null,
          svc.config.maxDataBytes(), -1);
    } catch (BotsError e) {
      replyError(id, "CREATE_MESSAGE", e, e.reason());
      return;
    }
    ReplyDeadlines.Pending reply =
        deadlines.arm(() -> replyError(id, "CREATE_MESSAGE", BotsError.timeout(), "reply_timeout"));
    java.util.concurrent.CompletableFuture<BotsService.Accepted> f;
    try {
      f = svc.accept(bot, List.of(m), false);
    } catch (BotsError e) {
      reply.claim();
      replyError(id, "CREATE_MESSAGE", e, e.reason());
      return;
    }
    f.whenComplete((accepted, err) -> LoopHandOffs.execute(ctx.executor(), () -> {
      if (err == null) {
        svc.pushAccepted(accepted); // durable by now, replied or not, open or not (a 7001 retry is idempotent)
      }
      if (reply.claim()) {
        if (err == null) {
          replyOk(id, "CREATE_MESSAGE");
        } else {
          BotsError e = err.getCause() instanceof BotsError be ? be : err instanceof BotsError be2 ? be2
              : BotsError.server();
          replyError(id, "CREATE_MESSAGE", e, e.reason());
        }
      }
    }));
  }

  private void acknowledge(String id, String action, ByteBuf json, boolean batch) {
    List<BotsService.Ack> acks;
    try {
      acks = batch ? parseAckArray(json) : List.of(ack(text(MESSAGE_ID), text(STATUS)));
    } catch (BotsError e) {
      replyError(id, action, e, e.reason());
      return;
    }
    ReplyDeadlines.Pending reply = deadlines.arm(() -> replyError(id, action, BotsError.timeout(), "reply_timeout"));
    svc.acknowledge(bot.uid(), acks).whenComplete((v, err) -> LoopHandOffs.execute(ctx.executor(), () -> {
      if (!reply.claim()) {
        return; // answered 7001 already; the acknowledgement itself still took effect once durable
      }
      if (err == null) {
        replyOk(id, action);
      } else {
        replyError(id, action, BotsError.server(), "store_error");
      }
    }));
  }

  static BotsService.Ack ack(String messageId, String status) {
    if (!Bot.isUuid(messageId)) {
      throw BotsError.invalidField("message_id", -1);
    }
    if (!"DELIVERED".equals(status) && !"READ".equals(status)) {
      throw BotsError.invalidField("status", -1);
    }
    return new BotsService.Ack(messageId.toLowerCase(java.util.Locale.ROOT), status);
  }

  private List<BotsService.Ack> parseAckArray(ByteBuf json) {
    if (!scan.present(MESSAGES) || scan.kind(MESSAGES) != io.switchboard.codec.json.JsonKind.ARRAY) {
      throw BotsError.invalidField("messages", -1);
    }
    return BotsRest.parseAcks(scan.span(json, MESSAGES), svc.config.restMaxBatch());
  }

  // ---- replies and pushes ----

  private void replyOk(String id, String action) {
    write("{\"id\":" + Json.quote(id) + ",\"action\":" + Json.quote(action) + "}");
    flushSoon();
  }

  /**
   * Flushes once the loop has run the tasks already queued: a writer round completes many commits at once, and
   * their replies and pushes for this socket then leave in one write instead of one syscall each (a flush per
   * reply was 14% of the loops' samples under {@code bench bots --max}). Event loop only.
   */
  private void flushSoon() {
    if (!flushQueued) {
      flushQueued = true;
      ctx.executor().execute(flushQueuedWrites);
    }
  }

  private void replyError(String id, String action, BotsError e, String reason) {
    svc.outcomes.rejected(BotsService.DIALECT, reason);
    write(error(id, action, e));
    ctx.flush();
    pauseReading();
  }

  private static String error(String id, String action, BotsError e) {
    return "{\"id\":" + Json.quote(id) + ",\"action\":" + Json.quote(action) + ",\"error\":" + e.toJson() + "}";
  }

  /** §7: stop reading for {@code bots.errorPause} after an error reply; bounds clients that resend at once. */
  private void pauseReading() {
    long pause = svc.config.errorPause().toMillis();
    if (pause > 0 && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), pause, TimeUnit.MILLISECONDS);
    }
  }

  private void write(String json) {
    if (!ctx.channel().isActive()) {
      return; // closed meanwhile (its deflater too): nothing to answer
    }
    ByteBuf raw = Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
    ByteBuf gz;
    try {
      gz = deflater.deflate(raw);
    } finally {
      raw.release();
    }
    ctx.write(new BinaryWebSocketFrame(gz), ctx.voidPromise());
  }

  private void push(BotsService.Stored s, String source) {
    write("{\"id\":" + Json.quote(UUID.randomUUID().toString()) + ",\"action\":\"CREATE_MESSAGE\",\"data\":"
        + s.pushData(source) + "}");
    inFlight.remove(s.messageId());
    inFlight.put(s.messageId(), System.nanoTime());
    svc.pushed.increment();
  }

  /** A newly accepted message for this bot. Any thread. */
  void pushLive(BotsService.Stored s) {
    ctx.executor().execute(() -> {
      // While a LIST_PENDING_MESSAGES scan runs, the scan reaches this (durable) message in acceptance order; and a
      // scan that already pushed it leaves it in flight, due for redelivery: no second push now.
      if (ctx.channel().isActive() && listCursor == null && !inFlight.containsKey(s.messageId())) {
        push(s, "CREATE_MESSAGE");
        flushSoon();
      }
    });
  }

  /** A status update for a message this bot sent (§5.5): at most once, never queued. Any thread. */
  void pushStatus(String data) {
    ctx.executor().execute(() -> {
      if (ctx.channel().isActive()) {
        write("{\"id\":" + Json.quote(UUID.randomUUID().toString()) + ",\"action\":\"ACKNOWLEDGE_MESSAGE_RECEIPT\","
            + "\"data\":" + data + "}");
        flushSoon();
      }
    });
  }

  /** Takes over the redelivery timers of a closed connection of the same bot (push times kept). Any thread. */
  void adopt(Map<String, Long> pushedAt) {
    ctx.executor().execute(() -> pushedAt.forEach(inFlight::putIfAbsent));
  }

  /** The message was acknowledged: no redelivery. Any thread. */
  void forget(String messageId) {
    ctx.executor().execute(() -> inFlight.remove(messageId));
  }

  // ---- LIST_PENDING_MESSAGES: stream the pending set from the store, page by page, while writable ----

  private void listPending(String id) {
    replyOk(id, "LIST_PENDING_MESSAGES"); // the reply comes before any push (§5.1)
    subscribed = true;
    listCursor = BotsService.pendingPrefix(bot.uid());
    continueList();
  }

  private void continueList() {
    if (listCursor != null && ctx.channel().isWritable()) {
      byte[] prefix = BotsService.pendingPrefix(bot.uid());
      List<byte[]> page = new ArrayList<>(PAGE);
      svc.store.scan(listCursor, Keys.prefixEnd(prefix), false, (key, value) -> {
        page.add(key);
        return page.size() < PAGE;
      });
      for (byte[] key : page) {
        String messageId = new String(key, prefix.length + 8, key.length - prefix.length - 8, StandardCharsets.UTF_8);
        BotsService.Stored s = svc.load(messageId);
        if (s != null) {
          push(s, "LIST_PENDING_MESSAGES");
        }
      }
      ctx.flush();
      listCursor = page.size() < PAGE ? null : successor(page.get(page.size() - 1));
      if (listCursor != null) {
        ctx.executor().execute(this::continueList); // one page per task: other sockets on this loop get a turn
      }
    }
  }

  private static byte[] successor(byte[] key) {
    return java.util.Arrays.copyOf(key, key.length + 1); // the smallest key after it
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      continueList();
    }
    super.channelWritabilityChanged(ctx);
  }

  /** §6: a pushed, unacknowledged message is pushed again after the visibility timeout while subscribed. */
  private void redeliverDue() {
    if (!subscribed || !ctx.channel().isWritable() || inFlight.isEmpty()) {
      return;
    }
    long due = System.nanoTime() - svc.config.redeliveryAfter().toNanos();
    List<String> again = new ArrayList<>();
    for (Iterator<Map.Entry<String, Long>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      if (e.getValue() > due) {
        break; // insertion order is push order
      }
      it.remove();
      again.add(e.getKey());
    }
    for (int i = 0; i < again.size(); i++) {
      String messageId = again.get(i);
      if (!ctx.channel().isWritable()) {
        for (int j = i; j < again.size(); j++) {
          inFlight.put(again.get(j), System.nanoTime() - svc.config.redeliveryAfter().toNanos()); // due next tick
        }
        break;
      }
      if (svc.stillPending(bot.uid(), messageId)) {
        BotsService.Stored s = svc.load(messageId);
        if (s != null) {
          push(s, "CREATE_MESSAGE");
        }
      }
    }
    ctx.flush();
  }
}
