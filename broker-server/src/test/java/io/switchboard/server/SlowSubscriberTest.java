package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.switchboard.core.stream.Stream;
import io.switchboard.server.testing.StreamTestDialect;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.RawWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading must not slow the publisher or the other subscribers, must be handled by its
 * stream class's policy, and must not make the broker's memory grow with what it fails to read.
 */
class SlowSubscriberTest {
  private static final int MESSAGES = Integer.getInteger("slow.messages", 20_000);
  private static final int SIZE = 2048; // 40 MB in all, far more than socket buffers and the queue hold

  private static ByteBuf message(int n) {
    // Built in a heap array and copied once: under paranoid leak detection every per-byte call on a pooled
    // buffer records a stack trace.
    byte[] bytes = new byte[SIZE];
    java.util.Arrays.fill(bytes, (byte) 'x');
    byte[] head = ("m" + n + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return PooledByteBufAllocator.DEFAULT.directBuffer(SIZE).writeBytes(bytes);
  }

  /** Reads every message in order, publishing progress; returns how many arrived before the last one. */
  private static int readUntilLast(RawWebSocket ws, AtomicIntegerArray progress, int idx) throws Exception {
    int n = 0;
    while (true) {
      RawWebSocket.Frame f = ws.readDataOrClose();
      if (f.opcode() != RawWebSocket.TEXT || !f.text().startsWith("m" + n + " ")) {
        return n; // a gap or a close: the assertion on the count reports it
      }
      n++;
      progress.set(idx, n);
      if (n == MESSAGES) {
        return n;
      }
    }
  }

  private void run(String policy) throws Exception {
    try (TestBroker tb = TestBroker.builder().withoutStandardDialects().dialect(new StreamTestDialect())
        .config(c -> c.server().writeBufferHighWaterMark(64 << 10).writeBufferLowWaterMark(16 << 10)).start()) {
      String path = "/test/streams/feed?policy=" + policy;
      RawWebSocket slow = RawWebSocket.connect("127.0.0.1", tb.port(), path, Map.of());
      slow.socket().setSoTimeout(20_000);
      List<RawWebSocket> fast = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RawWebSocket ws = RawWebSocket.connect("127.0.0.1", tb.port(), path, Map.of());
        ws.socket().setSoTimeout(20_000); // a reader that stops getting frames fails instead of hanging
        fast.add(ws);
      }
      Stream stream = tb.broker().streams().find("feed");
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> stream.subscriberCount() == 4);

      long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
      long maxDirect = directBefore;
      // Fast readers drain concurrently; the slow one never reads.
      List<Thread> readers = new ArrayList<>();
      int[] received = new int[fast.size()];
      AtomicIntegerArray progress = new AtomicIntegerArray(fast.size());
      for (int i = 0; i < fast.size(); i++) {
        int idx = i;
        Thread t = new Thread(() -> {
          try {
            received[idx] = readUntilLast(fast.get(idx), progress, idx);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        t.start();
        readers.add(t);
      }
      long publishStart = System.nanoTime();
      for (int n = 0; n < MESSAGES; n++) {
        // Flow control for the healthy readers only (a real publisher's rate is bounded too): stay within 32
        // messages of the slowest fast reader. The slow reader is never waited for.
        while (min(progress) < n - 32 && System.nanoTime() - publishStart < TimeUnit.SECONDS.toNanos(60)) {
          java.util.concurrent.locks.LockSupport.parkNanos(20_000); // never spin: 2 cores share everything
        }
        stream.publish(message(n));
        if ((n & 1023) == 0) {
          maxDirect = Math.max(maxDirect, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
        }
      }
      long publishNanos = System.nanoTime() - publishStart;
      for (Thread t : readers) {
        t.join(30_000);
      }
      for (int r : received) {
        assertThat(r).as("every fast subscriber got every message").isEqualTo(MESSAGES);
      }
      // The publisher was never held up by the slow reader (only paced by the fast ones).
      assertThat(TimeUnit.NANOSECONDS.toSeconds(publishNanos)).isLessThan(60);
      // Memory held for the slow reader stays bounded: queue limit (64) x 2 KiB plus socket buffers, not 40 MB.
      assertThat(maxDirect - directBefore).isLessThan(24L << 20);
      if ("disconnect".equals(policy)) {
        RawWebSocket.Frame f = readSkippingData(slow);
        assertThat(f.closeCode()).isEqualTo(1008);
        assertThat(f.closeReason()).isEqualTo("slow consumer");
        assertThat(tb.counter("switchboard.stream.slow_consumer_disconnects", "class", "test-disconnect"))
            .isEqualTo(1);
        assertThat(tb.counter("switchboard.closes", "dialect", "test-streams", "code", "1008")).isEqualTo(1);
      } else {
        assertThat(tb.counter("switchboard.stream.dropped", "class", "test-drop")).isPositive();
        assertThat(stream.subscriberCount()).isEqualTo(4);
      }
      slow.close();
      for (RawWebSocket ws : fast) {
        ws.close();
      }
    }
  }

  private static int min(AtomicIntegerArray a) {
    int m = Integer.MAX_VALUE;
    for (int i = 0; i < a.length(); i++) {
      m = Math.min(m, a.get(i));
    }
    return m;
  }

  /** Reads what the slow socket had buffered until the close frame. */
  private static RawWebSocket.Frame readSkippingData(RawWebSocket ws) throws Exception {
    while (true) {
      RawWebSocket.Frame f = ws.readFrame();
      if (f.opcode() == RawWebSocket.CLOSE) {
        return f;
      }
    }
  }

  @Test
  void slowSubscriber_whenDisconnectPolicy_thenClosed1008AndOthersUnaffected() throws Exception {
    run("disconnect");
  }

  @Test
  void slowSubscriber_whenDropOldestPolicy_thenDropsAndOthersUnaffected() throws Exception {
    run("drop");
  }
}
