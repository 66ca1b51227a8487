package io.switchboard.bench.baseline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The devices baseline pipeline: HTTP codec, 64 KiB aggregation, then the device, feed and Caller API routes. */
final class DevicesBaselineInitializer extends ChannelInitializer<Channel> {
  private final DevicesRegistry registry;

  DevicesBaselineInitializer(DevicesRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void initChannel(Channel ch) {
    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
        new DevicesBaselineHandler(registry));
  }
}
