package io.switchboard.server.widgets.webhook;

import java.util.Locale;

/** The {@code error} of a failed webhook outcome (§5.6). */
public enum WebhookError {
  DESTINATION_DENIED, DNS_FAILURE, CONNECT_FAILED, TLS_FAILURE, TIMEOUT, TOO_MANY_REDIRECTS;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The wire name, e.g. {@code destination_denied}. */
  public String wireName() {
    return wire;
  }

  /** Whether an attempt that ended with this error is retried (connection failure, timeout, DNS failure). */
  public boolean retryable() {
    return this == DNS_FAILURE || this == CONNECT_FAILED || this == TIMEOUT;
  }
}
