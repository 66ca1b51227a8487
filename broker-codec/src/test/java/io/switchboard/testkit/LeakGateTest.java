package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import org.junit.jupiter.api.Test;

class LeakGateTest {

  /** A stand-in resource, so that the gate's own test never produces a real {@code LEAK:} line. */
  static final class Probe {}

  @Test
  void collect_whenTrackedResourceIsCollectedUnclosed_thenReportsIt() {
    LeakGate.expectLeaksOf(Probe.class);
    ResourceLeakDetector<Probe> detector =
        ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Probe.class, 1);
    leakOne(detector);

    for (int i = 0; i < 20 && LeakGate.expectedLeaks().isEmpty(); i++) {
      System.gc();
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
      Probe p = new Probe();
      ResourceLeakTracker<Probe> t = detector.track(p); // tracking polls the reference queue and reports
      if (t != null) {
        t.close(p);
      }
    }
    assertThat(LeakGate.expectedLeaks()).isNotEmpty();
    assertThat(LeakGate.expectedLeaks().get(0)).contains("Probe");
  }

  private static void leakOne(ResourceLeakDetector<Probe> detector) {
    ResourceLeakTracker<Probe> tracker = detector.track(new Probe());
    assertThat(tracker).as("paranoid leak detection must be on in tests").isNotNull();
    // dropped without close(): a leak
  }
}
