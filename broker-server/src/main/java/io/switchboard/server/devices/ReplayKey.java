package io.switchboard.server.devices;

import io.switchboard.core.store.Keys;
import java.util.Arrays;

/**
 * A message's replay key (devices.md §3.2 step 7) with its hash computed once: the recent-keys filter, the in-flight
 * set and the store all look it up per message.
 */
final class ReplayKey {
  private final byte[] bytes;
  private final long hash;

  ReplayKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Keys.hash64(bytes);
  }

  /** The store key; not to be modified. */
  byte[] bytes() {
    return bytes;
  }

  /** {@link Keys#hash64} of {@link #bytes}. */
  long hash() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplayKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return (int) (hash ^ (hash >>> 32));
  }
}
