package io.switchboard.codec.json;

/** The JSON type of a scanned value; integers and other numbers are told apart because callers need exact ints. */
public enum JsonKind {
  OBJECT,
  ARRAY,
  STRING,
  INT,
  FLOAT,
  TRUE,
  FALSE,
  NULL;

  /** Whether this is {@link #TRUE} or {@link #FALSE}. */
  public boolean isBoolean() {
    return this == TRUE || this == FALSE;
  }
}
