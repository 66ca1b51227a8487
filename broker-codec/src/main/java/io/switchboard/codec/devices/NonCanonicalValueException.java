package io.switchboard.codec.devices;

/**
 * A value that cannot go to a device in canonical form (devices.md §4.3). The message names the place and the
 * problem, for example {@code value.level: number 1e-05 is outside the canonical range}, and is meant to be returned
 * to the caller as is (400 {@code invalid_request}, §8.5).
 */
public final class NonCanonicalValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  public NonCanonicalValueException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** Where: {@code value}, {@code value.level}, {@code value.bands[0].name}, or a payload member ({@code action}). */
  public String path() {
    return path;
  }

  /** What, without the path. */
  public String problem() {
    return problem;
  }
}
