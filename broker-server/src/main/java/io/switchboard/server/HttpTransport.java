package io.switchboard.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.codec.websocket.CloseCodes;
import io.switchboard.codec.websocket.ControlFrameHandler;
import io.switchboard.core.BrokerContext;
import io.switchboard.core.EventLoops;
import io.switchboard.core.Transport;
import io.switchboard.core.config.ServerConfig;
import io.switchboard.core.config.TlsConfig;
import io.switchboard.server.admin.AdminApi;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import io.switchboard.server.dialect.ListenerSpec;
import io.switchboard.server.health.HealthRoutes;
import io.switchboard.server.http.HttpDispatcher;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.HttpHandler;
import io.switchboard.server.http.Json;
import io.switchboard.server.http.Router;
import io.switchboard.server.pipeline.ConnectionLimiter;
import io.switchboard.server.pipeline.ListenerInitializer;
import io.switchboard.server.websocket.WebSocketUpgrader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/WebSocket server of a broker: one shared listener serving the dispatch table of the protocol README
 * plus {@code /health}, {@code /ready}, {@code /metrics} and the admin API, and the dedicated listeners dialects ask
 * for. Found by {@code Switchboard} through {@link java.util.ServiceLoader}; tests and embedders build one with
 * extra dialects through {@link #builder()}.
 */
public final class HttpTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
  private static final long WS_CLOSE_TIMEOUT_MILLIS = 2_000;

  private final List<Dialect> dialects;
  private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private volatile int sharedPort = -1;
  private volatile ChannelGroup channels;
  private volatile boolean listening;

  /** The standard transport: every dialect registered as a {@link Dialect} service. */
  public HttpTransport() {
    this(standardDialects());
  }

  private HttpTransport(List<Dialect> dialects) {
    this.dialects = List.copyOf(dialects);
  }

  /** The dialects registered on the class path ({@code META-INF/services/io.switchboard.server.dialect.Dialect}). */
  public static List<Dialect> standardDialects() {
    List<Dialect> out = new ArrayList<>();
    ServiceLoader.load(Dialect.class).forEach(out::add);
    return out;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Dialect> dialects() {
    return dialects;
  }

  @Override
  public CompletableFuture<Void> start(BrokerContext broker) {
    ServerConfig server = broker.config().server();
    channels = new DefaultChannelGroup("switchboard-connections", GlobalEventExecutor.INSTANCE);
    ConnectionLimiter limiter =
        new ConnectionLimiter(server.maxConnections(), server.maxConnectionsPerIp(), broker.meters());
    AdminApi admin = new AdminApi(broker.config().admin(), broker.identities());
    WebSocketUpgrader upgrader = new WebSocketUpgrader(broker.outcomes(), WS_CLOSE_TIMEOUT_MILLIS);

    Router.Builder routes = Router.builder();
    new HealthRoutes(broker, prometheus, () -> listening).register(routes);
    routes.prefix(AdminApi.PREFIX, "admin", admin);
    if (broker.config().demoPages()) {
      new io.switchboard.server.demo.DemoPages().register(routes);
    }
    for (Dialect d : dialects) {
      d.start(new DialectContext(broker, routes, upgrader, admin));
    }

    // Identities from the config file are in the registries (and the store) before any connection can arrive.
    return broker.identities().applyDeclared(broker.config().identities())
        .thenCompose(v -> bindAll(broker, routes, limiter))
        .thenRun(() -> listening = true);
  }

  private CompletableFuture<Void> bindAll(BrokerContext broker, Router.Builder routes, ConnectionLimiter limiter) {
    ServerConfig server = broker.config().server();
    List<CompletableFuture<Void>> binds = new ArrayList<>();
    Router sharedRouter = routes.copy().exact("/", "dispatch", this::sharedRoot).build();
    binds.add(bind(broker, server.host(), server.port(), server.tls(), sharedRouter, limiter, true));
    for (Dialect d : dialects) {
      Router own = routes.copy().exact("/", d.name(), rootOf(d)).build();
      for (ListenerSpec spec : d.listeners()) {
        binds.add(bind(broker, spec.host(), spec.port(), spec.tls(), own, limiter, false));
      }
    }
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new));
  }

  /** An upgrade at {@code /} on the shared listener: the first dialect that claims it, else 400. */
  private void sharedRoot(HttpExchange ex) {
    if (!ex.isWebSocketUpgrade()) {
      ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      return;
    }
    for (Dialect d : dialects) {
      if (d.claimsRootUpgrade(ex)) {
        d.upgradeAtRoot(ex);
        return;
      }
    }
    ex.respondJson(HttpResponseStatus.BAD_REQUEST, Json.error("unknown_dialect"), true);
  }

  private static HttpHandler rootOf(Dialect d) {
    return ex -> {
      if (!ex.isWebSocketUpgrade()) {
        ex.respondError(HttpResponseStatus.NOT_FOUND, "not_found");
      } else {
        d.upgradeAtRoot(ex);
      }
    };
  }

  private CompletableFuture<Void> bind(BrokerContext broker, String host, int port, TlsConfig tls, Router router,
      ConnectionLimiter limiter, boolean shared) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    SslContext ssl;
    try {
      ssl = tls.enabled()
          ? SslContextBuilder.forServer(tls.certChain().toFile(), tls.privateKey().toFile(), tls.keyPassword()).build()
          : null;
    } catch (Exception e) {
      return CompletableFuture.failedFuture(new IllegalStateException("TLS setup failed for port " + port
          + ": " + e.getMessage(), e));
    }
    ServerBootstrap b = new ServerBootstrap()
        .group(broker.eventLoops())
        .channel(EventLoops.serverChannelClass(broker.eventLoops()))
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ListenerInitializer(broker.config().server(), limiter, ssl, router, channels));
    ChannelFuture f = b.bind(host, port);
    f.addListener(x -> {
      if (!x.isSuccess()) {
        done.completeExceptionally(new IllegalStateException("cannot listen on " + host + ":" + port + ": "
            + x.cause().getMessage(), x.cause()));
        return;
      }
      Channel ch = f.channel();
      serverChannels.add(ch);
      int bound = ((InetSocketAddress) ch.localAddress()).getPort();
      if (shared) {
        sharedPort = bound;
      }
      log.info("listening on {}:{}{}", host, bound, tls.enabled() ? " (TLS)" : "");
      done.complete(null);
    });
    return done;
  }

  /** Served at {@code /metrics}; the broker adds it to its meters before registering any. */
  @Override
  public PrometheusMeterRegistry meterRegistry() {
    return prometheus;
  }

  @Override
  public int activeLocalPort() {
    return sharedPort;
  }

  @Override
  public CompletableFuture<Void> stop(Duration drainTimeout) {
    listening = false;
    for (Channel sc : serverChannels) {
      sc.close().syncUninterruptibly();
    }
    serverChannels.clear();
    sharedPort = -1;
    ChannelGroup group = channels;
    CompletableFuture<Void> drained = new CompletableFuture<>();
    if (group == null) {
      drained.complete(null);
    } else {
      for (Channel ch : group) {
        ch.eventLoop().execute(() -> drain(ch));
      }
      long deadline = System.nanoTime() + drainTimeout.toNanos();
      awaitEmpty(group, deadline, drained);
    }
    return drained.whenComplete((v, e) -> {
      for (Dialect d : dialects) {
        try {
          d.stop();
        } catch (RuntimeException ex) {
          log.warn("dialect {} failed to stop", d.name(), ex);
        }
      }
    });
  }

  private static void drain(Channel ch) {
    ControlFrameHandler ws = ch.pipeline().get(ControlFrameHandler.class);
    if (ws != null) {
      ws.close(CloseCodes.GOING_AWAY, "server shutting down");
      return;
    }
    HttpDispatcher http = ch.pipeline().get(HttpDispatcher.class);
    if (http != null) {
      http.drain();
    } else {
      ch.close(); // an event stream or a connection mid-handshake
    }
  }

  private static void awaitEmpty(ChannelGroup group, long deadline, CompletableFuture<Void> done) {
    if (group.isEmpty()) {
      done.complete(null);
      return;
    }
    if (System.nanoTime() - deadline >= 0) {
      log.warn("{} connections still open after the drain timeout; closing them", group.size());
      group.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      done.complete(null);
      return;
    }
    GlobalEventExecutor.INSTANCE.schedule(() -> awaitEmpty(group, deadline, done), 20, TimeUnit.MILLISECONDS);
  }

  /** Builds a transport with a chosen set of dialects. */
  public static final class Builder {
    private final List<Dialect> dialects = new ArrayList<>();

    private Builder() {}

    /** Adds the dialects registered on the class path. */
    public Builder standardDialects() {
      dialects.addAll(HttpTransport.standardDialects());
      return this;
    }

    /** Adds {@code dialect} (tests add test-only dialects this way). */
    public Builder dialect(Dialect dialect) {
      dialects.add(dialect);
      return this;
    }

    public HttpTransport build() {
      return new HttpTransport(dialects);
    }
  }
}
