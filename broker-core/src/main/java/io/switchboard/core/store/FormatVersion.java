package io.switchboard.core.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The on-disk format marker. A broker must refuse a directory written in a format it does not read, rather than
 * misread envelopes or keys; so the marker is checked before the store accepts any read or write.
 */
final class FormatVersion {
  private FormatVersion() {}

  /**
   * The format this broker writes. Version 2 added the group form of the expiry index ({@link ReservedKeys}), which a
   * version 1 broker would never sweep: it must not open such a store.
   */
  static final String CURRENT = "2";
  /** The older format this broker also reads; opening it rewrites the marker to {@link #CURRENT}. */
  static final String UPGRADABLE = "1";

  /**
   * Writes the marker into an empty engine (synced), accepts a matching one, and otherwise throws a
   * {@link StoreException} naming the location and both versions.
   */
  static void checkOrInitialise(StorageEngine engine) {
    byte[] found = engine.get(ReservedKeys.FORMAT_VERSION);
    if (found != null) {
      String version = new String(found, StandardCharsets.UTF_8);
      if (UPGRADABLE.equals(version)) { // a version 1 store is a version 2 store without group entries
        writeMarker(engine);
        return;
      }
      if (!CURRENT.equals(version)) {
        throw new StoreException("store " + engine.location() + " has on-disk format version \""
            + Keys.printable(found) + "\", but this broker reads format version \"" + CURRENT
            + "\" (and upgrades \"" + UPGRADABLE + "\"): use a broker release that reads version \""
            + Keys.printable(found) + "\", or point store.dataDir at another directory");
      }
      return;
    }
    if (!isEmpty(engine)) {
      throw new StoreException("store " + engine.location() + " holds data but no format version marker"
          + " (found: none), and this broker reads format version \"" + CURRENT
          + "\" only: it was not written by Switchboard, or by a release older than the marker;"
          + " point store.dataDir at an empty or Switchboard-owned directory");
    }
    writeMarker(engine);
  }

  private static void writeMarker(StorageEngine engine) {
    engine.apply(List.of(RawWrite.put(ReservedKeys.FORMAT_VERSION, CURRENT.getBytes(StandardCharsets.UTF_8))),
        true, true);
  }

  private static boolean isEmpty(StorageEngine engine) {
    boolean[] any = {false};
    engine.scan(null, null, false, (k, v) -> {
      any[0] = true;
      return false;
    });
    return !any[0];
  }
}
