package io.switchboard.codec.auth;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Initialised HMAC-SHA256 {@link Mac}s of the current thread, keyed by secret, least recently used evicted.
 *
 * <p>Why per thread and not per connection: a {@code Mac} is not thread-safe, and connections live on a fixed set
 * of event loops, so one {@code Mac} per (loop, app) serves every connection of that app on that loop with no lock,
 * no per-connection set-up and nothing to clone per message ({@code doFinal} leaves the {@code Mac} keyed and
 * ready). {@code Mac.getInstance} + {@code init} (provider lookup, key schedule) is paid once per (thread, secret)
 * and again only after eviction. The bound keeps threads that see many apps (a worker pool) from holding every key.
 */
final class MacCache {
  static final String ALGORITHM = "HmacSHA256";
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

  private final LruMap macs;
  private final byte[] scratch = new byte[SCRATCH];
  private final byte[] result = new byte[HmacSha256.LENGTH];

  MacCache(int capacity) {
    this.macs = new LruMap(capacity);
  }

  /** This thread's copy buffer for direct spans; use it only within one MAC computation. */
  byte[] scratch() {
    return scratch;
  }

  /** This thread's buffer for a MAC that is compared and dropped (verification). */
  byte[] result() {
    return result;
  }

  /** The cache of the calling thread. */
  static MacCache current() {
    return CURRENT.get();
  }

  /** A keyed, reset {@code Mac} for {@code secret} (its UTF-8 bytes are the key). Use it on this thread only. */
  Mac macFor(String secret) {
    Mac mac = macs.get(secret);
    if (mac == null) {
      mac = newMac(secret);
      macs.put(secret, mac);
    }
    return mac;
  }

  int size() {
    return macs.size();
  }

  static Mac newMac(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("empty HMAC secret");
    }
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available", e); // mandatory in every Java SE runtime
    }
  }

  private static final class LruMap extends LinkedHashMap<String, Mac> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    LruMap(int capacity) {
      super(16, 0.75f, true);
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Mac> eldest) {
      return size() > capacity;
    }
  }
}
