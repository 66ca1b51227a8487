package io.switchboard.core.deadline;

/**
 * One slot of the wheel: a doubly-linked list of timeouts, so that linking and unlinking are O(1) whatever its
 * length. Guarded by its timer's lock.
 */
final class WheelBucket {
  WheelTimeout head;
  WheelTimeout tail;
  int size;

  void add(WheelTimeout t) {
    t.bucket = this;
    t.prev = tail;
    if (tail == null) {
      head = t;
    } else {
      tail.next = t;
    }
    tail = t;
    size++;
  }

  void remove(WheelTimeout t) {
    if (t.prev == null) {
      head = t.next;
    } else {
      t.prev.next = t.next;
    }
    if (t.next == null) {
      tail = t.prev;
    } else {
      t.next.prev = t.prev;
    }
    t.prev = null;
    t.next = null;
    t.bucket = null;
    size--;
  }
}
