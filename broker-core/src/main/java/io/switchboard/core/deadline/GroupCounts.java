package io.switchboard.core.deadline;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending counts per group (e.g. per device) with a hard cap. A group's slot exists only while it has pending
 * requests, so groups that come and go leave nothing behind.
 */
final class GroupCounts {
  private final ConcurrentHashMap<Object, Slot> slots = new ConcurrentHashMap<>();
  private final int max;

  GroupCounts(int max) {
    this.max = max;
  }

  /** Takes one slot of {@code group}; false if it already holds {@code max}. */
  boolean tryAcquire(Object group) {
    while (true) {
      Slot s = slots.computeIfAbsent(group, g -> new Slot());
      synchronized (s) {
        if (s.removed) {
          continue;
        }
        if (s.count >= max) {
          return false;
        }
        s.count++;
        return true;
      }
    }
  }

  void release(Object group) {
    Slot s = slots.get(group);
    synchronized (s) {
      if (--s.count == 0) {
        s.removed = true;
        slots.remove(group, s);
      }
    }
  }

  int count(Object group) {
    Slot s = slots.get(group);
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      return s.count;
    }
  }

  private static final class Slot {
    int count;
    boolean removed;
  }
}
