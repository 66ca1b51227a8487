package io.switchboard.server.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.BrokerContext;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Router;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} (the process serves requests), {@code /ready} (it accepts work: started and not draining) and
 * {@code /metrics} (Prometheus text exposition of every {@code switchboard_} series).
 */
public final class HealthRoutes {
  private final BrokerContext broker;
  private final PrometheusMeterRegistry prometheus;
  private final BooleanSupplier listening;

  public HealthRoutes(BrokerContext broker, PrometheusMeterRegistry prometheus, BooleanSupplier listening) {
    this.broker = broker;
    this.prometheus = prometheus;
    this.listening = listening;
  }

  public void register(Router.Builder routes) {
    routes.exact("/health", "health", this::health);
    routes.exact("/ready", "health", this::ready);
    routes.exact("/metrics", "health", this::metrics);
  }

  private boolean onlyGet(HttpExchange ex) {
    if (ex.method() == HttpMethod.GET || ex.method() == HttpMethod.HEAD) {
      return true;
    }
    ex.respondError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
    return false;
  }

  private void health(HttpExchange ex) {
    if (onlyGet(ex)) {
      ex.respondJson(HttpResponseStatus.OK, "{\"status\":\"ok\"}");
    }
  }

  private void ready(HttpExchange ex) {
    if (!onlyGet(ex)) {
      return;
    }
    if (broker.draining()) {
      ex.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"draining\"}");
    } else if (!listening.getAsBoolean()) {
      ex.respondJson(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"starting\"}");
    } else {
      ex.respondJson(HttpResponseStatus.OK, "{\"status\":\"ready\"}");
    }
  }

  private void metrics(HttpExchange ex) {
    if (onlyGet(ex)) {
      ex.respondText(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
    }
  }
}
