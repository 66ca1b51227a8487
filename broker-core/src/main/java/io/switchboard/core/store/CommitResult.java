package io.switchboard.core.store;

import java.util.Arrays;

/** Outcome of {@link Store#commit}: applied, or refused because a condition did not hold. */
public sealed interface CommitResult permits CommitResult.Committed, CommitResult.Conflict {

  /** The batch's writes were applied and are durable under the configured policy. */
  record Committed() implements CommitResult {
    static final Committed INSTANCE = new Committed();
  }

  /** Nothing was written: the condition on {@code key} did not hold. */
  record Conflict(byte[] key) implements CommitResult {
    @Override
    public boolean equals(Object o) {
      return o instanceof Conflict c && Arrays.equals(key, c.key);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
      return "Conflict[" + Keys.printable(key) + "]";
    }
  }

  static Committed committed() {
    return Committed.INSTANCE;
  }

  default boolean isCommitted() {
    return this instanceof Committed;
  }
}
