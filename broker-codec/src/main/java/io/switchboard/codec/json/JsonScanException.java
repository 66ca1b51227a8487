package io.switchboard.codec.json;

/**
 * A frame that the scanner refuses. Stackless: a bad frame is input to count and drop, not a bug to trace, and it
 * must stay cheap when a client sends many of them.
 */
public final class JsonScanException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a frame was refused; dialects usually map every reason to their own {@code malformed}. */
  public enum Reason {
    /** Not JSON, empty, not one object at the top, or anything but whitespace after it. */
    MALFORMED,
    /** A {@link JsonLimits} bound was exceeded. */
    LIMIT,
    /** A member on a declared path (or on the way to one) appeared twice in the same object. */
    DUPLICATE_MEMBER
  }

  private final Reason reason;

  public JsonScanException(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "JsonScanException[" + reason + "]: " + getMessage();
  }
}
