package io.switchboard.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded store.
 *
 * @param engine RocksDB or memory
 * @param dataDir directory of the RocksDB files
 * @param durability when a write is acknowledged (see {@link Durability})
 * @param batchInterval group-commit interval under {@code batch}
 * @param expirySweepInterval how often expired entries are deleted (reads never return them before)
 * @param blockCacheBytes RocksDB block cache size
 * @param writeBufferBytes RocksDB memtable size
 */
public record StoreConfig(
    StoreEngine engine,
    Path dataDir,
    Durability durability,
    Duration batchInterval,
    Duration expirySweepInterval,
    long blockCacheBytes,
    long writeBufferBytes) {

  public StoreConfig {
    Checks.notNull("store.engine", engine);
    Checks.notNull("store.dataDir", dataDir);
    Checks.notNull("store.durability", durability);
    Checks.positive("store.batchInterval", batchInterval);
    if (batchInterval.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new ConfigException("store.batchInterval", Durations.format(batchInterval) + " (expected: <= 1s)");
    }
    Checks.positive("store.expirySweepInterval", expirySweepInterval);
    Checks.range("store.blockCacheBytes", blockCacheBytes, 1 << 20, 1L << 40);
    Checks.range("store.writeBufferBytes", writeBufferBytes, 1 << 20, 1L << 32);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().engine(engine).dataDir(dataDir).durability(durability).batchInterval(batchInterval)
        .expirySweepInterval(expirySweepInterval).blockCacheBytes(blockCacheBytes).writeBufferBytes(writeBufferBytes);
  }

  /** Mutable builder holding the safe defaults. */
  public static final class Builder {
    private StoreEngine engine = StoreEngine.ROCKSDB;
    private Path dataDir = Path.of("data");
    private Durability durability = Durability.BATCH;
    private Duration batchInterval = Duration.ofMillis(1);
    private Duration expirySweepInterval = Duration.ofSeconds(10);
    private long blockCacheBytes = 64L << 20;
    private long writeBufferBytes = 128L << 20;

    private Builder() {}

    public Builder engine(StoreEngine v) { engine = v; return this; }
    public Builder dataDir(Path v) { dataDir = v; return this; }
    public Builder durability(Durability v) { durability = v; return this; }
    public Builder batchInterval(Duration v) { batchInterval = v; return this; }
    public Builder expirySweepInterval(Duration v) { expirySweepInterval = v; return this; }
    public Builder blockCacheBytes(long v) { blockCacheBytes = v; return this; }
    public Builder writeBufferBytes(long v) { writeBufferBytes = v; return this; }

    public StoreConfig build() {
      return new StoreConfig(engine, dataDir, durability, batchInterval, expirySweepInterval, blockCacheBytes,
          writeBufferBytes);
    }
  }
}
