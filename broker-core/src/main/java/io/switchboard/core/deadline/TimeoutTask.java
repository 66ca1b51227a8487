package io.switchboard.core.deadline;

/** What runs when a {@link Timeout} fires; it runs on the executor given to {@link DeadlineTimer#schedule}. */
@FunctionalInterface
public interface TimeoutTask {
  void run(Timeout timeout);
}
