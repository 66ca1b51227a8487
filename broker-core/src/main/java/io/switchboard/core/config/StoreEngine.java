package io.switchboard.core.config;

/** The store implementation: embedded RocksDB (the default) or process memory (tests, throwaway brokers). */
public enum StoreEngine {
  ROCKSDB,
  MEMORY
}
