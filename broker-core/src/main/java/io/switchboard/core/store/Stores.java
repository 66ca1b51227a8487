package io.switchboard.core.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.config.StoreConfig;
import java.time.Clock;
import java.util.Objects;

/** Opens the configured {@link Store}. */
public final class Stores {
  private Stores() {}

  /**
   * Opens the engine named by {@code config} (the memory engine ignores {@code dataDir}), checks its on-disk format
   * and starts its writer. Reads the disk: call it off event loops.
   *
   * @param clock decides expiry; tests pass a movable one
   * @param registry receives the {@code switchboard.store.*} meters, removed again on close
   * @throws StoreException if the engine cannot be opened or holds an unreadable format
   */
  public static Store open(StoreConfig config, Clock clock, MeterRegistry registry) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(registry, "registry");
    StorageEngine engine = switch (config.engine()) {
      case MEMORY -> new MemoryEngine();
      case ROCKSDB -> RocksEngine.open(config.dataDir(), config.blockCacheBytes(), config.writeBufferBytes());
    };
    try {
      FormatVersion.checkOrInitialise(engine);
    } catch (RuntimeException e) {
      try {
        engine.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return GroupCommitStore.start(engine, config, clock, registry);
  }
}
