package io.switchboard.codec.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared contract files the tests use (protocols and test vectors): the copies under
 * {@code broker-codec/src/test/resources/shared/}, so a clean clone has them. {@code -Dswitchboard.shared=DIR}
 * points at another copy (for example the normative {@code ../shared/}).
 */
public final class SharedContracts {
  private SharedContracts() {}

  public static Optional<Path> dir() {
    String configured = System.getProperty("switchboard.shared");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(SharedContracts::looksShared);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      for (Path candidate : new Path[] {p.resolve("src/test/resources/shared"),
          p.resolve("broker-codec/src/test/resources/shared")}) {
        if (looksShared(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean looksShared(Path dir) {
    return Files.isRegularFile(dir.resolve("protocols").resolve("devices.md"));
  }
}
