package io.switchboard.core.deadline;

import java.util.Locale;

/**
 * Why {@link PendingRequests#register} refused a request. A refusal is itself the {@link Registration} answered, so
 * refusing allocates nothing.
 */
public enum Refusal implements Registration {
  /** The table holds {@code maxPending} requests. */
  TOO_MANY_PENDING,
  /** The request's group (e.g. its device) holds {@code maxPendingPerGroup}: the devices dialect answers 429. */
  TOO_MANY_IN_GROUP,
  /** A request with the same key is pending. */
  DUPLICATE_KEY,
  /** The deadline timer is closed (the broker is stopping). */
  CLOSED;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The value of the {@code reason} tag on {@code switchboard.requests.refused}. */
  public String tag() {
    return tag;
  }

  @Override
  public boolean accepted() {
    return false;
  }

  @Override
  public Refusal refusal() {
    return this;
  }

  @Override
  public boolean cancel() {
    return false;
  }
}
