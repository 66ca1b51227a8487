package io.switchboard.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The documented default configuration, {@code config/broker.yaml}, bundled in the jar for {@code genconfig}.
 * A test keeps the bundled copy equal to the checked-in file.
 */
public final class DefaultConfigFile {
  /** Class path location of the bundled copy. */
  public static final String RESOURCE = "/io/switchboard/server/config/broker.yaml";

  private DefaultConfigFile() {}

  public static String text() {
    try (InputStream in = DefaultConfigFile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing class path resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
