package io.switchboard.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The broker's whole configuration: immutable, validated once when built. The YAML loader of the binary and
 * embedders fill the same {@link Builder}, so both share one validation path.
 */
public record BrokerConfig(
    ServerConfig server, StoreConfig store, AdminConfig admin, LogConfig log, DeclaredIdentities identities,
    DevicesConfig devices, BotsConfig bots, RoomsConfig rooms, WidgetsConfig widgets,
    boolean demoPages) {

  public BrokerConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(identities, "identities");
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(bots, "bots");
    Objects.requireNonNull(rooms, "rooms");
    Objects.requireNonNull(widgets, "widgets");
  }

  /** The defaults: port 8080, RocksDB under {@code ./data}, durability {@code batch}, admin API off. */
  public static BrokerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.server = server.toBuilder();
    b.store = store.toBuilder();
    b.admin = admin;
    b.log = log;
    b.identities = identities;
    b.devices = devices;
    b.bots = bots;
    b.rooms = rooms;
    b.widgets = widgets;
    b.demoPages = demoPages;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private ServerConfig.Builder server = ServerConfig.builder();
    private StoreConfig.Builder store = StoreConfig.builder();
    private AdminConfig admin = AdminConfig.disabled();
    private LogConfig log = LogConfig.defaults();
    private DeclaredIdentities identities = DeclaredIdentities.none();
    private DevicesConfig devices = DevicesConfig.defaults();
    private BotsConfig bots = BotsConfig.defaults();
    private RoomsConfig rooms = RoomsConfig.defaults();
    private WidgetsConfig widgets = WidgetsConfig.defaults();
    private boolean demoPages;

    private Builder() {}

    public ServerConfig.Builder server() { return server; }
    public StoreConfig.Builder store() { return store; }

    public Builder server(ServerConfig v) { server = v.toBuilder(); return this; }
    public Builder store(StoreConfig v) { store = v.toBuilder(); return this; }
    public Builder admin(AdminConfig v) { admin = Objects.requireNonNull(v); return this; }
    public Builder log(LogConfig v) { log = Objects.requireNonNull(v); return this; }
    public Builder devices(DevicesConfig v) { devices = Objects.requireNonNull(v); return this; }
    public Builder bots(BotsConfig v) { bots = Objects.requireNonNull(v); return this; }
    public Builder rooms(RoomsConfig v) { rooms = Objects.requireNonNull(v); return this; }
    public Builder widgets(WidgetsConfig v) { widgets = Objects.requireNonNull(v); return this; }
    /** Serve the demo pages under {@code /demo/} (off by default; {@code scripts/run} turns them on). */
    public Builder demoPages(boolean v) { demoPages = v; return this; }
    public Builder identities(DeclaredIdentities v) { identities = Objects.requireNonNull(v); return this; }

    /** Declares {@code records} (JSON, as the kind's admin API takes them) for {@code kind}. */
    public Builder declare(String kind, java.util.List<String> records) {
      identities = identities.with(kind, records);
      return this;
    }

    /** Shorthand for {@code server().port(port)}. */
    public Builder port(int port) { server.port(port); return this; }

    /** Shorthand for {@code store().dataDir(dir)}. */
    public Builder dataDir(Path dir) { store.dataDir(dir); return this; }

    /** Shorthand for {@code admin(new AdminConfig(token))}. */
    public Builder adminToken(String token) { admin = new AdminConfig(token); return this; }

    public BrokerConfig build() {
      return new BrokerConfig(server.build(), store.build(), admin, log, identities, devices, bots, rooms, widgets,
          demoPages);
    }
  }
}
