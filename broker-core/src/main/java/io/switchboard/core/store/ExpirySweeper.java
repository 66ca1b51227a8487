package io.switchboard.core.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * Deletes expired entries. Reads already hide them; the sweep reclaims the space. It walks the expiry index up to
 * "now" and deletes a user key only if its current envelope still carries the indexed expiry, because the key may
 * have been rewritten since; a group entry ({@link ReservedKeys}) is the same check for each of its keys. Used by
 * the writer thread only, so nothing changes between its reads and its write.
 */
final class ExpirySweeper {
  /** Index entries handled per pass, so that a backlog does not stall commits for long. */
  static final int MAX_PER_PASS = 10_000;

  private final StorageEngine engine;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Told how many entries under {@code prefix} a pass deleted. */
  private record Listener(byte[] prefix, IntConsumer counted) {}

  ExpirySweeper(StorageEngine engine) {
    this.engine = engine;
  }

  /** Registers {@code listener}; the returned task unregisters it. */
  Runnable onExpired(byte[] prefix, IntConsumer listener) {
    Listener l = new Listener(prefix.clone(), listener);
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /** What one pass did. {@code more}: the pass stopped at {@link #MAX_PER_PASS} and due entries remain. */
  record Pass(int expired, boolean more) {}

  /**
   * One pass at {@code nowMillis}; the deletes are logged to the WAL when {@code walEnabled} but not synced: if
   * they are lost in a crash, the entries reappear still expired, and the next sweep deletes them again.
   */
  Pass sweep(long nowMillis, boolean walEnabled) {
    List<byte[]> due = new ArrayList<>();
    List<byte[]> groupValues = new ArrayList<>();
    engine.scan(ReservedKeys.EXPIRY_PREFIX, ReservedKeys.indexEnd(ReservedKeys.EXPIRY_PREFIX, nowMillis), false,
        (k, v) -> {
          due.add(k);
          return due.size() < MAX_PER_PASS;
        });
    if (due.size() < MAX_PER_PASS) {
      engine.scan(ReservedKeys.GROUP_PREFIX, ReservedKeys.indexEnd(ReservedKeys.GROUP_PREFIX, nowMillis), false,
          (k, v) -> {
            due.add(k);
            groupValues.add(v);
            return due.size() < MAX_PER_PASS;
          });
    }
    if (due.isEmpty()) {
      return new Pass(0, false);
    }
    List<RawWrite> writes = new ArrayList<>(due.size() * 2);
    List<Listener> watching = listeners;
    int[] counts = new int[watching.size()];
    // Keys deleted in this pass: a key may be named by a group and by a single-key entry with the same expiry.
    Set<ByteBuffer> deleted = new HashSet<>();
    int groups = 0;
    for (byte[] indexKey : due) {
      long expiry = ReservedKeys.expiryOf(indexKey);
      List<byte[]> members = ReservedKeys.isGroup(indexKey)
          ? ReservedKeys.groupMembers(indexKey, groupValues.get(groups++))
          : List.of(ReservedKeys.userKeyOf(indexKey));
      for (byte[] userKey : members) {
        byte[] env = engine.get(userKey);
        if (env != null && Envelope.hasExpiry(env) && Envelope.expiresAt(env) == expiry
            && deleted.add(ByteBuffer.wrap(userKey))) {
          writes.add(RawWrite.delete(userKey));
          for (int i = 0; i < counts.length; i++) {
            if (startsWith(userKey, watching.get(i).prefix())) {
              counts[i]++;
            }
          }
        }
      }
      writes.add(RawWrite.delete(indexKey));
    }
    engine.apply(writes, walEnabled, false);
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        watching.get(i).counted().accept(counts[i]);
      }
    }
    return new Pass(deleted.size(), due.size() >= MAX_PER_PASS);
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
