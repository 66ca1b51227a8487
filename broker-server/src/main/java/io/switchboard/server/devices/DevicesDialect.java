package io.switchboard.server.devices;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.codec.pipeline.ReadIdleHandler;
import io.switchboard.core.config.DevicesConfig;
import io.switchboard.core.identity.IdentityRegistry;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.dialect.ListenerSpec;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Json;
import io.switchboard.server.pipeline.HandlerNames;
import io.switchboard.server.websocket.WebSocketSessionSpec;
import io.switchboard.server.websocket.WebSocketUpgrader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The devices dialect (Sinric Pro compatible; contract: protocols/devices.md). Device sockets at {@code /} with an
 * {@code appkey} header, at {@code /devices}, and at {@code /} on its dedicated listeners; the Caller API under
 * {@code /api/v1/}; apps as an admin resource with their activity log.
 */
public final class DevicesDialect implements Dialect {
  private DevicesService svc;
  private WebSocketUpgrader upgrader;
  private List<ListenerSpec> listeners = List.of();

  @Override
  public String name() {
    return DevicesService.DIALECT;
  }

  @Override
  public void start(DialectContext context) {
    IdentityRegistry<App> apps = context.admin().register(AppKind.INSTANCE);
    svc = new DevicesService(context.broker(), new AppDirectory(apps));
    upgrader = context.upgrader();
    CallerApi caller = new CallerApi(svc, upgrader);
    context.routes().exact("/devices", name(), this::upgrade);
    context.routes().prefix(CallerApi.ACTIONS_PREFIX, name(), caller::devices);
    context.routes().exact(CallerApi.EVENTS, name(), caller::events);
    context.admin().route("apps", "activity", ex -> activity(ex));
    listeners = ListenerSpec.parseAll(context.broker().config().devices().listeners());
  }

  @Override
  public boolean claimsRootUpgrade(HttpExchange ex) {
    return ex.header("appkey") != null;
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

  private void activity(HttpExchange ex) {
    String appKey = ex.path().substring("/admin/v1/apps/".length()).split("/")[0];
    if (ex.method() != HttpMethod.GET) {
      ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
      return;
    }
    if (svc.apps.byAppKey(appKey) == null) {
      ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      return;
    }
    int limit = 100;
    try {
      if (ex.query("limit") != null) {
        limit = Math.max(1, Math.min(1000, Integer.parseInt(ex.query("limit"))));
      }
    } catch (NumberFormatException e) {
      ex.respondError(HttpResponseStatus.BAD_REQUEST, "invalid_request");
      return;
    }
    ex.respondJson(HttpResponseStatus.OK, svc.activity.toJson(appKey, limit));
  }

  /** The checks of devices.md §2.2, in order, then the upgrade. */
  private void upgrade(HttpExchange ex) {
    if (!ex.isWebSocketUpgrade()) {
      ex.respondError(HttpResponseStatus.BAD_REQUEST, "websocket_required");
      return;
    }
    DevicesConfig config = svc.config;
    App app = svc.apps.byAppKey(ex.header("appkey"));
    String remote = ex.remoteAddress() == null ? null
        : ex.remoteAddress().getAddress().getHostAddress() + ":" + ex.remoteAddress().getPort();
    if (app == null) {
      refuse(ex, null, HttpResponseStatus.UNAUTHORIZED, "unknown_appkey", Json.error("unknown_appkey"), remote);
      return;
    }
    Set<String> ids = new LinkedHashSet<>();
    String header = ex.header("deviceids");
    boolean valid = header != null;
    if (valid) {
      for (String id : header.split(";")) {
        String t = id.trim();
        if (t.isEmpty()) {
          continue;
        }
        if (!App.DEVICE_ID.matcher(t).matches()) {
          valid = false;
          break;
        }
        ids.add(t.toLowerCase(Locale.ROOT));
      }
    }
    if (!valid || ids.isEmpty() || ids.size() > config.maxDevicesPerConnection()) {
      refuse(ex, app, HttpResponseStatus.BAD_REQUEST, "invalid_deviceids", Json.error("invalid_deviceids"), remote);
      return;
    }
    for (String id : ids) {
      if (!app.holds(id)) {
        refuse(ex, app, HttpResponseStatus.FORBIDDEN, "device_not_registered",
            "{\"error\":\"device_not_registered\",\"deviceId\":" + Json.quote(id) + "}", remote);
        return;
      }
    }
    String platform = trimmed(ex.header("platform"));
    boolean restore = "true".equalsIgnoreCase(trimmed(ex.header("restoredevicestates")));
    DeviceConnection conn = new DeviceConnection(svc, app, Set.copyOf(ids), platform,
        trimmed(ex.header("SDKVersion")), trimmed(ex.header("firmwareVersion")), restore, remote);
    int max = config.maxInboundBytes();
    // permessage-deflate only when configured (§2.2): Node.js and Python offer it, and carry on without it.
    upgrader.upgrade(ex, new WebSocketSessionSpec(name(), List.of(), max, max, null, (p, session) -> {
      conn.bind(session);
      // First in the pipeline: any bytes received, pongs included, reset the idle timer (§9).
      p.addFirst("devices-idle",
          new ReadIdleHandler(config.readIdleTimeout().toMillis()));
      p.addBefore(HandlerNames.EXCEPTIONS, HandlerNames.SESSION, conn);
    }, config.permessageDeflate()));
  }

  private void refuse(HttpExchange ex, App app, HttpResponseStatus status, String reason, String body,
      String remote) {
    svc.outcomes.rejected(name(), reason);
    if (app != null) {
      svc.activity.add(app.appKey(), "connection_rejected", reason, null, remote,
          trimmed(ex.header("platform")), null);
    }
    ex.respondJson(status, body, true);
  }

  private static String trimmed(String s) {
    return s == null ? null : s.trim();
  }

}
