package io.switchboard.core.store;

import io.switchboard.core.config.StoreEngine;

class MemoryStoreContractTest extends StoreContractTest {
  @Override
  StoreEngine engine() {
    return StoreEngine.MEMORY;
  }
}
