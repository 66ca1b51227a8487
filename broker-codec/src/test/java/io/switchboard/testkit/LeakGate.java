package io.switchboard.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Records every buffer leak Netty's detector reports, so that tests can fail on them.
 *
 * <p>Installed by {@link LeakGateSessionListener} before any buffer class is initialised (the detector is chosen
 * once, in a static initialiser). {@link LeakGateExtension} calls {@link #collect()} after every test class and fails
 * the class when a leak was reported. Tests run with {@code -Dio.netty.leakDetection.level=paranoid}.
 */
public final class LeakGate {

  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static final List<String> EXPECTED = new CopyOnWriteArrayList<>();
  private static final java.util.Set<String> EXPECTED_TYPES = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static volatile boolean installed;

  private LeakGate() {}

  /** Installs the recording detector factory; idempotent. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    installed = true;
  }

  /**
   * Nudges the garbage collector so that unreachable leaked buffers get reported, and returns (and clears) the
   * reports so far.
   */
  public static List<String> collect() {
    for (int i = 0; i < 4; i++) {
      System.gc();
      System.runFinalization();
      LockSupport.parkNanos(20_000_000L); // give the reference handler a moment to enqueue
      // Every tracked allocation polls the detector's reference queue and reports what it finds.
      for (ByteBufAllocator alloc :
          new ByteBufAllocator[] {PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT}) {
        ByteBuf probe = alloc.buffer(8);
        probe.release();
        probe = alloc.directBuffer(8);
        probe.release();
      }
    }
    List<String> out = new ArrayList<>(LEAKS);
    LEAKS.clear();
    return out;
  }

  /**
   * Marks leaks of {@code type} as expected: they are recorded apart (see {@link #expectedLeaks()}) and not logged.
   * Only the gate's own test uses this.
   */
  public static void expectLeaksOf(Class<?> type) {
    EXPECTED_TYPES.add(io.netty.util.internal.StringUtil.simpleClassName(type));
  }

  /** Expected leaks reported so far. */
  public static List<String> expectedLeaks() {
    return List.copyOf(EXPECTED);
  }

  private static boolean expected(String resourceType, String report) {
    if (EXPECTED_TYPES.contains(resourceType)) {
      EXPECTED.add(report);
      return true;
    }
    return false;
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      if (!expected(resourceType, resourceType + records)) {
        LEAKS.add("LEAK: " + resourceType + records);
        super.reportTracedLeak(resourceType, records);
      }
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      if (!expected(resourceType, resourceType)) {
        LEAKS.add("LEAK: " + resourceType + " (untraced)");
        super.reportUntracedLeak(resourceType);
      }
    }
  }
}
