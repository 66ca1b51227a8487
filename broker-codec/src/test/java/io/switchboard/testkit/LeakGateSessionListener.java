package io.switchboard.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs {@link LeakGate} when the JUnit launcher session opens, before any test class loads Netty buffers. */
public final class LeakGateSessionListener implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    LeakGate.install();
  }
}
