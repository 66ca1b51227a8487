package io.switchboard.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.switchboard.core.LoopHandOffs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many publisher threads, subscribers on several real event loops: nothing lost, per-publisher order kept. */
class ConcurrentFanOutTest {
  private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(3, NioIoHandler.newFactory());

  @AfterEach
  void stop() {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void publish_fromManyThreads_thenEverySubscriberGetsEveryMessageInPublisherOrder() throws Exception {
    Streams streams = new Streams(new SimpleMeterRegistry());
    int publishers = 4;
    int perPublisher = 5_000;
    int subscribers = 6;
    CountDownLatch done = new CountDownLatch(subscribers);
    List<int[]> lastPerPublisher = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<Subscription> subs = new ArrayList<>();
    boolean[] orderBroken = {false};
    for (int s = 0; s < subscribers; s++) {
      int[] last = new int[publishers];
      java.util.Arrays.fill(last, -1);
      int[] count = {0};
      lastPerPublisher.add(last);
      counts.add(count);
      subs.add(streams.subscribe("load", loops.next(), (name, seq, payload) -> {
        int p = payload.getInt(payload.readerIndex());
        int n = payload.getInt(payload.readerIndex() + 4);
        if (n != last[p] + 1) {
          orderBroken[0] = true;
        }
        last[p] = n;
        if (++count[0] == publishers * perPublisher) {
          done.countDown();
        }
      }));
    }
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      int id = p;
      Thread t = new Thread(() -> {
        Stream stream = streams.stream("load");
        for (int n = 0; n < perPublisher; n++) {
          ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(8).writeInt(id).writeInt(n);
          stream.publish(b);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(orderBroken[0]).isFalse();
    for (int[] c : counts) {
      assertThat(c[0]).isEqualTo(publishers * perPublisher);
    }
    subs.forEach(Subscription::cancel);
  }

  @Test
  void publishesHandedOverInOneBatch_reachALoopAsOneDrain_withOneBatchEndPerSubscriber() throws Exception {
    Streams streams = new Streams(new SimpleMeterRegistry());
    EventLoop loop = loops.next();
    int messages = 50;
    CountDownLatch done = new CountDownLatch(1);
    RecordingSubscriber[] sub = new RecordingSubscriber[1];
    sub[0] = new RecordingSubscriber(loop, false, () -> {
      if (sub[0].received.get() == messages) {
        done.countDown();
      }
    });
    streams.stream("batched").subscribe(sub[0]);
    AtomicInteger frames = sub[0].received;
    // A task queued on the loop after the first publish runs after any drain handed over before it (FIFO): if the
    // drain went at once, the loop has delivered a frame by the time that task ran.
    AtomicInteger framesAtProbe = new AtomicInteger(-1);
    Thread completer = new Thread(() -> LoopHandOffs.batch(() -> {
      for (int i = 0; i < messages; i++) {
        streams.stream("batched").publish(PooledByteBufAllocator.DEFAULT.buffer(4).writeInt(i));
        if (i == 0) {
          loop.submit(() -> framesAtProbe.set(frames.get())).syncUninterruptibly();
        }
      }
    }));
    completer.start();
    completer.join();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(framesAtProbe.get()).as("no drain handed over while the batch ran").isZero();
    assertThat(frames.get()).isEqualTo(messages);
    assertThat(sub[0].batchEnds.get()).as("the whole run in one drain: one flush per subscriber").isEqualTo(1);
  }
}
