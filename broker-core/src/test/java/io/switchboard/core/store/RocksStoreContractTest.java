package io.switchboard.core.store;

import static io.switchboard.core.store.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.StoreEngine;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RocksStoreContractTest extends StoreContractTest {
  @Override
  StoreEngine engine() {
    return StoreEngine.ROCKSDB;
  }

  @Test
  void dataAndExpirySurviveReopen() throws Exception {
    done(store.put(utf8("plain"), utf8("p")));
    done(store.commit(new WriteBatch().put(utf8("ttl"), utf8("t"), T0.plusSeconds(10))));
    store.close();
    store = Stores.open(config().build(), clock, registry);
    assertThat(str(store.get(utf8("plain")))).isEqualTo("p");
    assertThat(str(store.get(utf8("ttl")))).isEqualTo("t");
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.get(utf8("ttl"))).isNull();
    assertThat(((GroupCommitStore) store).sweepNow().get()).isEqualTo(1);
    store.close();
    store = Stores.open(config().build(), clock, registry);
    assertThat(raw().get(utf8("ttl"))).as("the sweep's delete is persistent").isNull();
    assertThat(expiryIndex()).isEmpty();
  }

  @Test
  void noneDurabilitySurvivesCleanClose() throws Exception {
    store.close();
    store = Stores.open(config().durability(io.switchboard.core.config.Durability.NONE).build(), clock, registry);
    done(store.put(utf8("k"), utf8("v")));
    store.close();
    store = Stores.open(config().build(), clock, registry);
    assertThat(str(store.get(utf8("k")))).as("flushed on close, since nothing was logged").isEqualTo("v");
  }

  @Test
  void deleteRangePlain_survivesAReopen() throws Exception {
    putAll("t/1", "t/2", "t/3");
    done(store.commit(new WriteBatch().deleteRangePlain(utf8("t/1"), utf8("t/3"))));
    store.close();
    store = Stores.open(config().build(), clock, registry);

    assertThat(keys(null, null, false)).containsExactly("t/3=vt/3");
    assertThat(keys(null, null, true)).containsExactly("t/3=vt/3");
  }
}
