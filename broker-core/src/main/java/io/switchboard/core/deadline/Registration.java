package io.switchboard.core.deadline;

/** What {@link PendingRequests#register} answers: a pending request, or the {@link Refusal} saying why not. */
public interface Registration {
  boolean accepted();

  /** Why it was refused; null when accepted. */
  Refusal refusal();

  /**
   * Cancels the request if it is still pending; it then resolves as {@link Outcome#CANCELLED}.
   *
   * @return true if this call resolved it
   */
  boolean cancel();
}
