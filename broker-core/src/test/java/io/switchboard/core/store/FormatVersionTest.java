package io.switchboard.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** The on-disk format marker: written on first open, checked on every later one. */
class FormatVersionTest {
  @TempDir
  Path dir;

  private Store open() {
    return Stores.open(StoreConfig.builder().engine(StoreEngine.ROCKSDB).dataDir(dir).build(), Clock.systemUTC(),
        new SimpleMeterRegistry());
  }

  private void rawPut(byte[] key, String value) throws Exception {
    RocksDB.loadLibrary();
    try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString())) {
      db.put(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private String rawGet(byte[] key) throws Exception {
    try (Options o = new Options(); RocksDB db = RocksDB.open(o, dir.toString())) {
      byte[] v = db.get(key);
      return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }
  }

  @Test
  void emptyDirectory_getsTheCurrentVersion_andReopens() throws Exception {
    open().close();
    assertThat(rawGet(ReservedKeys.FORMAT_VERSION)).isEqualTo(FormatVersion.CURRENT);
    open().close();
  }

  @Test
  void otherVersion_isRefusedNamingDirectoryAndBothVersions() throws Exception {
    open().close();
    rawPut(ReservedKeys.FORMAT_VERSION, "3");
    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("format version \"3\"")
        .hasMessageContaining("reads format version \"2\" (and upgrades \"1\")");
    assertThat(rawGet(ReservedKeys.FORMAT_VERSION)).as("left untouched, and the engine released").isEqualTo("3");
  }

  @Test
  void version1_isUpgradedInPlace_keepingItsData() throws Exception {
    try (Store store = open()) {
      store.put(Keys.utf8("kept"), Keys.utf8("v")).get(10, TimeUnit.SECONDS);
    }
    rawPut(ReservedKeys.FORMAT_VERSION, "1");
    try (Store store = open()) {
      assertThat(store.get(Keys.utf8("kept"))).isEqualTo(Keys.utf8("v"));
    }
    assertThat(rawGet(ReservedKeys.FORMAT_VERSION)).as("a version 2 broker may write groups from now on")
        .isEqualTo("2");
  }

  @Test
  void dataWithoutMarker_isRefused() throws Exception {
    rawPut(Keys.utf8("foreign"), "x");
    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("no format version marker (found: none)")
        .hasMessageContaining("reads format version \"2\"");
  }
}
