package io.switchboard.core.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreConfig;
import io.switchboard.core.config.StoreEngine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process of {@link KillRecoveryTest}: {@code CrashWriterMain <dataDir> <durability> <run>} commits keys
 * {@code crash/<run>/<n>} from several threads, and prints {@code ACK <n> .} once the commit of key {@code n}
 * completed, until it is killed. The trailing dot tells a complete line from one cut short by the kill.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  static byte[] key(String run, long n) {
    return Keys.of("crash", run, Long.toString(n));
  }

  static byte[] value(String run, long n) {
    return Keys.utf8("value-" + run + "-" + n);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    String run = args[2];
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    Store store = Stores.open(StoreConfig.builder().engine(StoreEngine.ROCKSDB).dataDir(dir).durability(durability)
        .build(), Clock.systemUTC(), new SimpleMeterRegistry());
    AtomicLong next = new AtomicLong();
    Thread[] writers = new Thread[4];
    for (int t = 0; t < writers.length; t++) {
      writers[t] = new Thread(() -> {
        Semaphore window = new Semaphore(32);
        while (true) {
          window.acquireUninterruptibly();
          long n = next.getAndIncrement();
          store.put(key(run, n), value(run, n)).whenComplete((r, e) -> {
            window.release();
            if (e == null) {
              synchronized (out) {
                out.println("ACK " + n + " .");
                out.flush();
              }
            }
          });
        }
      }, "crash-writer-" + t);
      writers[t].start();
    }
    for (Thread w : writers) {
      w.join(); // until killed
    }
  }
}
