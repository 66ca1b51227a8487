package io.switchboard.core.stream;

import java.util.Objects;

/**
 * The delivery rules shared by a family of streams (for example all widget streams): how many messages may wait
 * per subscriber while its socket is not writable, and what happens beyond that.
 *
 * @param name short name used as a metric tag, for example {@code widgets}
 * @param policy what to do with a slow subscriber
 * @param queueLimit messages queued per subscriber before the policy applies
 */
public record StreamClass(String name, SlowConsumerPolicy policy, int queueLimit) {
  public StreamClass {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    if (queueLimit <= 0) {
      throw new IllegalArgumentException("queueLimit: " + queueLimit + " (expected: > 0)");
    }
  }

  /** The default class: drop-oldest with 1024 queued messages. */
  public static final StreamClass DEFAULT = new StreamClass("default", SlowConsumerPolicy.DROP_OLDEST, 1024);
}
