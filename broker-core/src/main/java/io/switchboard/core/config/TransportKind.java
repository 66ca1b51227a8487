package io.switchboard.core.config;

/** Which Netty transport to run on. {@code AUTO} picks epoll when its native library loads, NIO otherwise. */
public enum TransportKind {
  AUTO,
  EPOLL,
  NIO
}
