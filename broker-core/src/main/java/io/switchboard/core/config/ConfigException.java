package io.switchboard.core.config;

/**
 * A configuration value that cannot be used. The message always starts with the dotted key, for example
 * {@code store.batchInterval: 0ms (expected: > 0)}, so that a bad file names the key at fault.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The dotted path of the offending key, for example {@code server.port}. */
  public String key() {
    return key;
  }
}
