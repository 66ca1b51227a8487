package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.CharsetUtil;
import io.switchboard.core.Switchboard;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.stream.Subscription;
import io.switchboard.server.testing.StreamTestDialect;
import io.switchboard.testkit.RawWebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers embedded in one JVM, on port 0 with their own data directories, each publishing and subscribing in
 * process and over a socket, without seeing each other's messages. One runs on the embedder's event loops.
 */
class EmbeddedBrokersTest {

  private static Switchboard broker(Path dir, EventLoopGroup shared) {
    BrokerConfig.Builder cfg = BrokerConfig.builder().port(0).dataDir(dir);
    cfg.server().host("127.0.0.1");
    Switchboard.Builder b = Switchboard.builder().config(cfg.build())
        .transport(HttpTransport.builder().standardDialects().dialect(new StreamTestDialect()).build());
    if (shared != null) {
      b.eventLoops(shared, false);
    }
    return b.build();
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, CharsetUtil.UTF_8);
  }

  @Test
  void twoBrokers_publishAndSubscribe_inProcessAndOverSockets(@TempDir Path dirA, @TempDir Path dirB)
      throws Exception {
    EventLoopGroup hostLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try (Switchboard a = broker(dirA, null); Switchboard b = broker(dirB, hostLoops)) {
      a.start().get(30, TimeUnit.SECONDS);
      b.start().get(30, TimeUnit.SECONDS);
      assertThat(a.activeLocalPort()).isPositive().isNotEqualTo(b.activeLocalPort());

      for (Switchboard sb : List.of(a, b)) {
        String tag = sb == a ? "A" : "B";
        List<String> inProcess = new CopyOnWriteArrayList<>();
        Subscription sub = sb.streams().subscribe("room", sb.context().eventLoops().next(),
            (name, seq, payload) -> inProcess.add(payload.toString(CharsetUtil.UTF_8)));
        try (RawWebSocket ws = RawWebSocket.connect("127.0.0.1", sb.activeLocalPort(), "/test/streams/room",
            Map.of())) {
          assertThat(ws.status()).isEqualTo(101);
          Awaitility.await().atMost(5, TimeUnit.SECONDS)
              .until(() -> sb.streams().stream("room").subscriberCount() == 2);

          // in process -> in-process listener and socket subscriber
          sb.streams().publish("room", text("from-process-" + tag));
          assertThat(ws.readDataOrClose().text()).isEqualTo("from-process-" + tag);

          // socket -> in-process listener and the socket itself
          ws.sendText("from-socket-" + tag);
          assertThat(ws.readDataOrClose().text()).isEqualTo("from-socket-" + tag);
          Awaitility.await().atMost(5, TimeUnit.SECONDS)
              .until(() -> inProcess.equals(List.of("from-process-" + tag, "from-socket-" + tag)));
        } finally {
          sub.cancel();
        }
      }
      // Isolation: each broker saw only its own stream traffic.
      assertThat(a.streams().stream("room").lastSeq()).isEqualTo(2);
      assertThat(b.streams().stream("room").lastSeq()).isEqualTo(2);
      assertThat(a.store()).isNotSameAs(b.store());
    } finally {
      assertThat(hostLoops.isShuttingDown()).as("the embedder's loops are the embedder's to stop").isFalse();
      hostLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
