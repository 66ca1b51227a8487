package io.switchboard.core.store;

/** The store could not read or write: I/O failure, corruption, closed, or an incompatible on-disk format. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
