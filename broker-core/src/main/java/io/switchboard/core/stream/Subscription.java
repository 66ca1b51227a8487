package io.switchboard.core.stream;

/** A live subscription; cancelling it is idempotent and may be called from any thread. */
public interface Subscription extends AutoCloseable {
  void cancel();

  @Override
  default void close() {
    cancel();
  }
}
