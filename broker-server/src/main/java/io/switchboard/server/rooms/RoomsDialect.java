package io.switchboard.server.rooms;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.codec.pipeline.ReadIdleHandler;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.dialect.ListenerSpec;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import io.switchboard.server.pipeline.HandlerNames;
import io.switchboard.server.websocket.WebSocketSessionSpec;
import io.switchboard.server.websocket.WebSocketUpgrader;
import java.util.List;

/**
 * The rooms dialect (Talkee compatible; contract: protocols/rooms.md): room sockets at {@code /ws}, posts, history
 * and presence under {@code /ws/}, and sites as an admin resource.
 */
public final class RoomsDialect implements Dialect {
  private RoomsService svc;
  private RoomsHttp http;
  private WebSocketUpgrader upgrader;
  private List<ListenerSpec> listeners = List.of();

  @Override
  public String name() {
    return RoomsService.DIALECT;
  }

  @Override
  public void start(DialectContext context) {
    IdentityRegistry<Site> sites = context.admin().register(SiteKind.INSTANCE);
    svc = new RoomsService(context.broker(), sites);
    http = new RoomsHttp(svc);
    upgrader = context.upgrader();
    context.routes().exact("/ws", name(), this::upgrade);
    context.routes().exact("/ws/messages", name(), http::messages);
    context.routes().exact("/ws/presence", name(), http::presence);
    listeners = ListenerSpec.parseAll(context.broker().config().rooms().listeners());
  }

  @Override
  public List<ListenerSpec> listeners() {
    return listeners;
  }

  private void upgrade(HttpExchange ex) {
    if (!ex.isWebSocketUpgrade()) {
      ex.respondJson(HttpResponseStatus.BAD_REQUEST, "{\"code\":400,\"msg\":\"websocket upgrade required\"}");
      return;
    }
    RoomsHttp.Target t;
    try {
      t = http.identify(ex);
    } catch (RoomsHttp.Refusal r) {
      svc.outcomes.rejected(name(), r.reason);
      ex.respondJson(HttpResponseStatus.valueOf(r.status),
          "{\"code\":" + r.status + ",\"msg\":" + Json.quote(r.getMessage()) + "}", true);
      return;
    }
    if (t.room().sockets.size() >= svc.config.maxSocketsPerRoom()) {
      svc.outcomes.rejected(name(), "room_full");
      ex.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"code\":503,\"msg\":\"room is full\"}", true);
      return;
    }
    RoomSocket socket = new RoomSocket(svc, t.room(), t.site());
    int max = svc.config.maxInboundFrameBytes();
    upgrader.upgrade(ex, new WebSocketSessionSpec(name(), List.of(), max, max, null, (p, session) -> {
      socket.bind(session);
      p.addFirst("rooms-idle",
          new ReadIdleHandler(svc.config.readIdleTimeout().toMillis()));
      p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, socket);
    }));
  }
}
