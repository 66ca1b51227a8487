package io.switchboard.server.bots;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.codec.auth.jwt.RequestSig;
import io.switchboard.codec.auth.jwt.TokenVerdict;
import io.switchboard.codec.pipeline.ReadIdleHandler;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.dialect.ListenerSpec;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.pipeline.HandlerNames;
import io.switchboard.server.websocket.WebSocketSessionSpec;
import io.switchboard.server.websocket.WebSocketUpgrader;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bots dialect (Mixin Blaze compatible; contract: protocols/bots.md): Blaze sockets at {@code /} with a Blaze
 * subprotocol and at {@code /blaze}, the REST subset, and bots as an admin resource.
 */
public final class BotsDialect implements Dialect {
  static final String BLAZE = "Mixin-Blaze-1";
  static final String BLAZE_BOT = "MixinBot-Blaze-1";

  private BotsService svc;
  private WebSocketUpgrader upgrader;
  private List<ListenerSpec> listeners = List.of();

  @Override
  public String name() {
    return BotsService.DIALECT;
  }

  @Override
  public void start(DialectContext context) {
    IdentityRegistry<Bot> bots = context.admin().register(BotKind.INSTANCE);
    svc = new BotsService(context.broker(), bots);
    upgrader = context.upgrader();
    BotsRest rest = new BotsRest(svc);
    context.routes().exact("/blaze", name(), this::upgrade);
    context.routes().exact("/messages", name(), rest::messages);
    context.routes().exact("/acknowledgements", name(), rest::acknowledgements);
    context.routes().exact("/conversations", name(), rest::conversations);
    listeners = ListenerSpec.parseAll(context.broker().config().bots().listeners());
  }

  /** §2.1: a Blaze subprotocol offered, and no {@code appkey} header (that would be a device). */
  @Override
  public boolean claimsRootUpgrade(HttpExchange ex) {
    return ex.header("appkey") == null && chosenSubprotocol(ex) != null;
  }

  @Override
  public void upgradeAtRoot(HttpExchange ex) {
    upgrade(ex);
  }

  @Override
  public List<ListenerSpec> listeners() {
    return listeners;
  }

  @Override
  public void stop() {
    if (svc != null) {
      svc.stop();
    }
  }

  /** {@code Mixin-Blaze-1} if offered, else {@code MixinBot-Blaze-1}, else null (§2.2). */
  static String chosenSubprotocol(HttpExchange ex) {
    String offered = ex.header(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (offered == null) {
      return null;
    }
    boolean blaze = false;
    boolean bot = false;
    for (String p : offered.split(",")) {
      blaze |= p.trim().equals(BLAZE);
      bot |= p.trim().equals(BLAZE_BOT);
    }
    return blaze ? BLAZE : bot ? BLAZE_BOT : null;
  }

  private void upgrade(HttpExchange ex) {
    if (!ex.isWebSocketUpgrade()) {
      ex.respondError(HttpResponseStatus.BAD_REQUEST, "websocket_required");
      return;
    }
    String subprotocol = chosenSubprotocol(ex);
    if (subprotocol == null) {
      svc.outcomes.rejected(name(), "missing_subprotocol");
      ex.respondJson(HttpResponseStatus.BAD_REQUEST, upgradeError(BotsError.badRequest(
          "Missing subprotocol Mixin-Blaze-1.")), true);
      return;
    }
    String token = ex.bearerToken() == null ? "" : ex.bearerToken();
    String ip = ex.remoteAddress() == null ? "?" : ex.remoteAddress().getAddress().getHostAddress();
    long now = svc.clock.millis();
    long retry = svc.throttle.retryAfterSeconds(ip, BotsAuth.claimedUid(token), now);
    if (retry > 0) {
      svc.outcomes.rejected(name(), "login_throttled");
      later(ex, () -> {
        var r = new io.netty.handler.codec.http.DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
            HttpResponseStatus.TOO_MANY_REQUESTS, io.netty.buffer.ByteBufUtil.writeUtf8(ex.ctx().alloc(),
                upgradeError(BotsError.tooMany())));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
            .set(HttpHeaderNames.RETRY_AFTER, Long.toString(retry));
        ex.respond(r, true);
      });
      return;
    }
    TokenVerdict v = svc.verifier.verify(token, RequestSig.UPGRADE);
    if (!v.accepted()) {
      svc.throttle.failed(ip, v.countsAgainstUid() ? v.uid() : null, now);
      svc.outcomes.rejected(name(), v.reason().metric());
      later(ex, () -> ex.respondJson(HttpResponseStatus.UNAUTHORIZED, upgradeError(BotsError.unauthorized()), true));
      return;
    }
    Bot bot = svc.bot(v.uid());
    BotConnection conn = new BotConnection(svc, bot);
    int max = svc.config.maxFrameBytes();
    upgrader.upgrade(ex, new WebSocketSessionSpec(name(), List.of(subprotocol), max, max, null, (p, session) -> {
      conn.bind(session);
      p.addFirst("bots-idle",
          new ReadIdleHandler(svc.config.readIdleTimeout().toMillis()));
      p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, conn);
    }));
  }

  /** Failed authentication is answered after {@code bots.auth.failureDelay} (§3.3), never blocking the loop. */
  private void later(HttpExchange ex, Runnable answer) {
    ex.ctx().executor().schedule(answer, svc.config.failureDelay().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String upgradeError(BotsError e) {
    return "{\"error\":" + e.toJson() + "}";
  }
}
