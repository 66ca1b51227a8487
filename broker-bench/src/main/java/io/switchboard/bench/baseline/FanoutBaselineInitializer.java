package io.switchboard.bench.baseline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The baseline fan-out pipeline: HTTP codec, 64 KiB aggregation, then the two widgets routes. */
final class FanoutBaselineInitializer extends ChannelInitializer<Channel> {
  static final String HTTP = "http";
  static final String AGGREGATE = "aggregate";
  private final FanoutRegistry registry;

  FanoutBaselineInitializer(FanoutRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void initChannel(Channel ch) {
    ch.pipeline().addLast(HTTP, new HttpServerCodec())
        .addLast(AGGREGATE, new HttpObjectAggregator(64 * 1024))
        .addLast("fanout", new FanoutBaselineHandler(registry));
  }
}
