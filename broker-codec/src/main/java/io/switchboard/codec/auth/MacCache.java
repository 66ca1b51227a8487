package io.switchboard.codec.auth;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HMAC-SHA256 key schedules ({@link HmacKey}) of the current thread, keyed by secret, least recently used evicted,
 * with the thread's scratch arrays.
 *
 * <p>Why per thread and not per connection: connections live on a fixed set of event loops, so one key per (loop,
 * app) serves every connection of that app on that loop with no lock and no per-connection set-up; the key schedule
 * (provider lookup, the two pad blocks hashed) is paid once per (thread, secret) and again only after eviction.
 * The bound keeps threads that see many apps (a worker pool) from holding every key.
 */
final class MacCache {
  /** Apps active at the same time on one loop; past it, the least recently used key is re-initialised. */
  static final int CAPACITY = 256;

  private static final FastThreadLocal<MacCache> CURRENT = new FastThreadLocal<>() {
    @Override
    protected MacCache initialValue() {
      return new MacCache(CAPACITY);
    }
  };

  /** Scratch of this thread: JCA's {@code Mac.update(ByteBuffer)} allocates a copy of a direct buffer per call. */
  static final int SCRATCH = 1024;

  private final LruMap keys;
  private final byte[] scratch = new byte[SCRATCH];
  private final byte[] result = new byte[HmacSha256.LENGTH];
  private final byte[] innerHash = new byte[HmacSha256.LENGTH];

  MacCache(int capacity) {
    this.keys = new LruMap(capacity);
  }

  /** This thread's copy buffer for direct spans; use it only within one MAC computation. */
  byte[] scratch() {
    return scratch;
  }

  /** This thread's buffer for a MAC that is compared and dropped (verification). */
  byte[] result() {
    return result;
  }

  /** This thread's buffer for the inner hash of a MAC under way. */
  byte[] innerHash() {
    return innerHash;
  }

  /** The cache of the calling thread. */
  static MacCache current() {
    return CURRENT.get();
  }

  /** The key schedule of {@code secret} (its UTF-8 bytes are the key). */
  HmacKey keyFor(String secret) {
    HmacKey key = keys.get(secret);
    if (key == null) {
      key = new HmacKey(secret);
      keys.put(secret, key);
    }
    return key;
  }

  int size() {
    return keys.size();
  }

  private static final class LruMap extends LinkedHashMap<String, HmacKey> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    LruMap(int capacity) {
      super(16, 0.75f, true);
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, HmacKey> eldest) {
      return size() > capacity;
    }
  }
}
