package io.switchboard.server.http;

/**
 * Serves requests for a route. Runs on the connection's event loop and must not block; it answers through the
 * exchange, now or later (from any thread). The request is released when {@link #handle} returns: read what is
 * needed from it before going asynchronous.
 */
@FunctionalInterface
public interface HttpHandler {
  void handle(HttpExchange exchange) throws Exception;
}
