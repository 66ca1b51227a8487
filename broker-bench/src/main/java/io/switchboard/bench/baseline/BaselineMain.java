package io.switchboard.bench.baseline;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Starts a baseline server: {@code BaselineMain --port P [--threads N] [--data-dir D] SCENARIO}. Binds 127.0.0.1:P on epoll (NIO
 * when epoll is unavailable) with N event loops (0: one per core, like the broker's default) and the broker's
 * default write-buffer water marks, then serves until killed. The harness starts it as a child JVM.
 */
public final class BaselineMain {
  private BaselineMain() {}

  public static void main(String[] args) throws Exception {
    io.switchboard.bench.harness.Logging.quiet();
    int port = 0;
    int threads = 0;
    String scenario = null;
    String dataDir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--data-dir" -> dataDir = args[++i];
        default -> scenario = args[i];
      }
    }
    Running running = start(scenario, port, threads, dataDir == null ? null : Path.of(dataDir));
    System.out.println("baseline " + scenario + " listening on " + running.server().localAddress() + " ("
        + (Epoll.isAvailable() ? "epoll" : "nio") + ")");
    running.server().closeFuture().sync();
  }

  /** A started baseline: its server channel (the bound port) and its event loops. */
  public record Running(Channel server, EventLoopGroup boss, EventLoopGroup workers) implements AutoCloseable {
    public int port() {
      return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
      server.close().syncUninterruptibly();
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /**
   * Starts the baseline of {@code scenario} on 127.0.0.1:{@code port} (0: any free port) with {@code threads} event
   * loops (0: one per core); {@code dataDir} is where the bots baseline keeps its RocksDB. Used by {@link #main}
   * and, in process, by the harness's end-to-end tests.
   */
  public static Running start(String scenario, int port, int threads, Path dataDir) throws Exception {
    Supplier<ChannelHandler> init = switch (String.valueOf(scenario)) {
      case "fanout" -> {
        FanoutRegistry registry = new FanoutRegistry();
        yield () -> new FanoutBaselineInitializer(registry);
      }
      case "devices" -> {
        DevicesRegistry registry = new DevicesRegistry();
        yield () -> new DevicesBaselineInitializer(registry);
      }
      case "bots" -> {
        // The broker's default store.batchInterval: the same durability as the target it is compared with.
        GroupCommitLog log = new GroupCommitLog(dataDir == null ? Path.of("baseline-data") : dataDir, 1);
        yield () -> new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
          @Override
          protected void initChannel(io.netty.channel.Channel ch) {
            ch.pipeline().addLast(new io.netty.handler.codec.http.HttpServerCodec(),
                new io.netty.handler.codec.http.HttpObjectAggregator(64 * 1024), new BotsBaselineHandler(log));
          }
        };
      }
      default -> throw new IllegalArgumentException("unknown baseline scenario: " + scenario);
    };
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("baseline-accept"), io);
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("baseline-io"), io);
    Class<? extends ServerSocketChannel> cls = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Channel server = new ServerBootstrap().group(boss, workers).channel(cls)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
        .childHandler(init.get())
        .bind("127.0.0.1", port).sync().channel();
    return new Running(server, boss, workers);
  }
}
