package io.switchboard.bench.harness;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The load client's few event loops (epoll when the native library loads, NIO otherwise). Every connection of a
 * run lives on one of them, so the client's cost stays flat with the number of connections instead of growing a
 * thread per socket (which would measure the client).
 */
public final class ClientTransport implements AutoCloseable {
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final String name;

  public ClientTransport(int threads) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-client", true), io);
    this.channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.name = epoll ? "epoll" : "nio";
  }

  public EventLoopGroup group() {
    return group;
  }

  public Class<? extends SocketChannel> channelClass() {
    return channelClass;
  }

  /** {@code epoll} or {@code nio}, for the report. */
  public String name() {
    return name;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
