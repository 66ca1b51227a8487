package io.switchboard.server.dialect;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import java.util.List;

/**
 * A wire dialect plugged into the server: it registers its routes, may claim WebSocket upgrades at {@code /} on
 * the shared listener, and may ask for listeners of its own. Dialects never see each other; adding one touches no
 * other.
 */
public interface Dialect {

  /** Short name used in metrics, logs and config, for example {@code devices}. */
  String name();

  /** Called once per broker start, before any listener binds: register routes and admin kinds here. */
  void start(DialectContext context);

  /** Whether a WebSocket upgrade at {@code /} on the shared listener belongs to this dialect. */
  default boolean claimsRootUpgrade(HttpExchange exchange) {
    return false;
  }

  /** Serves a WebSocket upgrade at {@code /}: claimed on the shared listener, or any on a dedicated listener. */
  default void upgradeAtRoot(HttpExchange exchange) {
    exchange.respondJson(HttpResponseStatus.BAD_REQUEST, Json.error("unknown_dialect"), true);
  }

  /** Listeners dedicated to this dialect (every upgrade at {@code /} on them is this dialect's). */
  default List<ListenerSpec> listeners() {
    return List.of();
  }

  /** Called once when the broker stops, after connections were drained. */
  default void stop() {}
}
