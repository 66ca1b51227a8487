package io.switchboard.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Auto-registered for every test class through
 * {@code junit-platform.properties} and the service file of this test jar.
 */
public final class LeakGateExtension implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = LeakGate.collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size() + " buffer leak(s) reported during " + context.getDisplayName() + ":\n"
              + String.join("\n", leaks));
    }
  }
}
