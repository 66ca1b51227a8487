package io.switchboard.codec.auth.jwt;

/**
 * A token that fails bots.md §3.2 step 1. Carries no stack trace: anyone can send malformed tokens as fast as they
 * like, and the message alone (never the token) says what was wrong.
 */
public final class MalformedTokenException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedTokenException(String message) {
    super(message, null, false, false);
  }
}
