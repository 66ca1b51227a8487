package io.switchboard.server.dialect;

import io.switchboard.core.BrokerContext;
import io.switchboard.server.admin.AdminApi;
import io.switchboard.server.http.Router;
import io.switchboard.server.websocket.WebSocketUpgrader;

/**
 * What a dialect gets at start: the broker's shared context, the route table to add to, the WebSocket upgrader
 * and the admin API to register its identity kinds with.
 */
public record DialectContext(BrokerContext broker, Router.Builder routes, WebSocketUpgrader upgrader,
    AdminApi admin) {}
