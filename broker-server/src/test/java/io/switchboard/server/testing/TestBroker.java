package io.switchboard.server.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.Switchboard;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.Stores;
import io.switchboard.server.HttpTransport;
import io.switchboard.server.dialect.Dialect;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Starts a real broker on 127.0.0.1, port 0, for integration tests; stops it (and its store) on close. */
public final class TestBroker implements AutoCloseable {
  private final Switchboard broker;
  private final SimpleMeterRegistry meters;

  private final Store ownStore;

  private TestBroker(Switchboard broker, SimpleMeterRegistry meters, Store ownStore) {
    this.broker = broker;
    this.meters = meters;
    this.ownStore = ownStore;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Switchboard broker() {
    return broker;
  }

  public int port() {
    return broker.activeLocalPort();
  }

  /** A registry that sees every meter of the broker, for assertions on counters. */
  public SimpleMeterRegistry meters() {
    return meters;
  }

  /** The value of counter {@code name} with {@code tags} (key, value, ...), 0 if absent. */
  public double counter(String name, String... tags) {
    var c = meters.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    broker.close();
    if (ownStore != null) {
      ownStore.close(); // a store handed to the broker is the embedder's to close
    }
  }

  /** Configures and starts a test broker: memory store unless {@link #rocksDb}, standard dialects included. */
  public static final class Builder {
    private final BrokerConfig.Builder config = BrokerConfig.builder().port(0);
    private final List<Dialect> dialects = new ArrayList<>();
    private boolean standard = true;
    private Clock clock = Clock.systemUTC();
    private java.util.function.UnaryOperator<Store> storeWrapper;

    private Builder() {
      config.server().host("127.0.0.1");
      config.store().engine(StoreEngine.MEMORY);
    }

    public Builder config(Consumer<BrokerConfig.Builder> c) {
      c.accept(config);
      return this;
    }

    /** A RocksDB store in {@code dir}. */
    public Builder rocksDb(Path dir) {
      config.store().engine(StoreEngine.ROCKSDB).dataDir(dir);
      return this;
    }

    public Builder dialect(Dialect d) {
      dialects.add(d);
      return this;
    }

    public Builder withoutStandardDialects() {
      standard = false;
      return this;
    }

    public Builder clock(Clock c) {
      clock = c;
      return this;
    }

    /** Wraps the configured store (opened here, closed with the broker), e.g. in a {@link FaultyStore}. */
    public Builder wrapStore(java.util.function.UnaryOperator<Store> wrapper) {
      storeWrapper = wrapper;
      return this;
    }

    public TestBroker start() {
      HttpTransport.Builder t = HttpTransport.builder();
      if (standard) {
        t.standardDialects();
      }
      dialects.forEach(t::dialect);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      BrokerConfig built = config.build();
      Switchboard.Builder b = Switchboard.builder()
          .config(built)
          .transport(t.build())
          .clock(clock)
          .meterRegistry(meters);
      Store own = null;
      if (storeWrapper != null) {
        own = storeWrapper.apply(Stores.open(built.store(), clock, meters));
        b.store(own);
      }
      Switchboard sb = b.build();
      sb.start().join();
      return new TestBroker(sb, meters, own);
    }
  }
}
