package io.switchboard.core.quota;

import io.switchboard.core.store.CommitResult;

/**
 * Acceptances held for a batch on its way to the store: they count against the window from
 * {@link SlidingWindowQuota#tryAcquire} on, so concurrent requests cannot overshoot, and their record is already in
 * the caller's batch. Resolve it exactly once, by the store's outcome: {@link #commit()} when the batch committed,
 * {@link #abort()} when it conflicted or failed (the slots are given back). Never resolve it by a reply deadline: a
 * late commit is still a commit. Later calls are ignored. Thread-safe (the principal's lock guards it).
 */
public final class Reservation implements QuotaDecision {
  private final PrincipalWindow window;
  private final long acceptedAtMillis;
  private final int count;
  boolean resolved;

  Reservation(PrincipalWindow window, long acceptedAtMillis, int count) {
    this.window = window;
    this.acceptedAtMillis = acceptedAtMillis;
    this.count = count;
  }

  @Override
  public boolean accepted() {
    return true;
  }

  /** The millisecond the acceptances count at (the record's key). */
  public long acceptedAtMillis() {
    return acceptedAtMillis;
  }

  /** How many acceptances are held. */
  public int count() {
    return count;
  }

  /** The batch is durable: the acceptances stay. @return false if already resolved */
  public boolean commit() {
    return window.resolve(this, true);
  }

  /** The batch was not applied: the acceptances are given back. @return false if already resolved */
  public boolean abort() {
    return window.resolve(this, false);
  }

  /**
   * Resolves by a {@code Store.commit} outcome, as a {@code whenComplete} callback:
   * {@code store.commit(batch).whenComplete(reservation::resolve)}.
   */
  public void resolve(CommitResult result, Throwable error) {
    if (error == null && result != null && result.isCommitted()) {
      commit();
    } else {
      abort();
    }
  }
}
