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
  /**
   * Keys checked per pass (a group entry counts its members), so that a backlog does not stall commits for long;
   * the entry that crosses the bound is still handled whole.
   */
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
    List<DueEntry> due = new ArrayList<>();
    int[] keys = {0};
    for (byte[] prefix : List.of(ReservedKeys.EXPIRY_PREFIX, ReservedKeys.GROUP_PREFIX)) {
      if (keys[0] < MAX_PER_PASS) {
        engine.scan(prefix, ReservedKeys.indexEnd(prefix, nowMillis), false, (k, v) -> {
          List<byte[]> members = ReservedKeys.isGroup(k)
              ? ReservedKeys.groupMembers(k, v)
              : List.of(ReservedKeys.userKeyOf(k));
          due.add(new DueEntry(k, members));
          keys[0] += members.size();
          return keys[0] < MAX_PER_PASS;
        });
      }
    }
    if (due.isEmpty()) {
      return new Pass(0, false);
    }
    List<RawWrite> writes = new ArrayList<>(keys[0] + due.size());
    List<Listener> watching = listeners;
    int[] counts = new int[watching.size()];
    // Keys deleted in this pass: a key may be named by a group and by a single-key entry with the same expiry.
    Set<ByteBuffer> deleted = new HashSet<>();
    for (DueEntry entry : due) {
      long expiry = ReservedKeys.expiryOf(entry.indexKey());
      for (byte[] userKey : entry.members()) {
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
      writes.add(RawWrite.delete(entry.indexKey()));
    }
    engine.apply(writes, walEnabled, false);
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        watching.get(i).counted().accept(counts[i]);
      }
    }
    return new Pass(deleted.size(), keys[0] >= MAX_PER_PASS);
  }

  /** A due index entry and the user keys it names (one, or a group's). */
  private record DueEntry(byte[] indexKey, List<byte[]> members) {}

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
