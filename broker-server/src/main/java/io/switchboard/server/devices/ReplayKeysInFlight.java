package io.switchboard.server.devices;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replay keys of messages between their step-7 check (devices.md §3.2) and the completion of the commit that
 * stores them. A message {@link #claim claims} its key before the check and {@link #release releases} it once the
 * commit is applied, or when it is dropped. So a copy that arrives while the first is in flight finds the claim, and
 * one that arrives later finds the stored key: check-then-store is atomic without a condition on the commit, whose
 * engine read was a sixth of the store writer's time under {@code bench devices --max}.
 *
 * <p>Holds as long as this process is the only writer of replay keys, as {@link RecentReplayKeys} assumes. Holds one
 * key per message the store has not answered yet. Thread-safe.
 */
final class ReplayKeysInFlight {
  private final Set<ReplayKey> keys = ConcurrentHashMap.newKeySet();

  /** False when another message holds {@code key}: a copy of it is in flight. */
  boolean claim(ReplayKey key) {
    return keys.add(key);
  }

  /** Ends a {@link #claim}; call after the commit that stores the key has completed, or when the message is dropped. */
  void release(ReplayKey key) {
    keys.remove(key);
  }

  /** Keys claimed now (metrics and tests). */
  int size() {
    return keys.size();
  }
}
