package io.switchboard.bench.harness.fanout;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.switchboard.bench.harness.BenchClock;
import io.switchboard.bench.harness.BenchOptions;
import io.switchboard.bench.harness.ClientTransport;
import io.switchboard.bench.harness.LoadStats;
import io.switchboard.bench.harness.Scenario;
import io.switchboard.bench.harness.Target;
import io.switchboard.bench.harness.client.HttpLoadTransport;
import io.switchboard.bench.harness.client.LoadSender;
import io.switchboard.bench.harness.client.SseSubscriberHandler;
import io.switchboard.bench.harness.client.Stamp;
import io.switchboard.bench.harness.client.Subscription;
import io.switchboard.bench.harness.client.WsSubscriberHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code fanout}: per stream, S subscribers and P publishers. Switchboard is driven through the widgets dialect
 * exactly as widgets.md has it (subscribe, take the publish token from the first subscriber's {@code init}, POST
 * broadcasts with a registered widget key); the baseline serves the same two routes; NATS gets one subject per
 * stream. {@code --rate} is the total publish rate over all publishers; deliveries per second are what counts.
 */
public final class FanoutScenario implements Scenario {
  /** The widget key declared in the generated config. */
  public static final String WIDGET_KEY = "6b9f652a-63fd-47d7-a3bc-418c1096eb8c";
  private static final int CONNECT_BATCH = 50;

  private final int publishers;
  private final int subscribers;
  private final int streams;
  private final int size;
  private final boolean sse;
  private final int publishConnections;
  private final double ratePerPublisher;

  public FanoutScenario(BenchOptions o) {
    this.publishers = o.integer("publishers", 1);
    this.subscribers = o.integer("subscribers", 100);
    this.streams = o.integer("streams", 1);
    this.size = o.integer("size", 300);
    this.sse = o.flag("sse");
    this.publishConnections = o.integer("publish-connections", 8);
    int rate = o.integer("rate", 1000);
    this.ratePerPublisher = o.flag("max") ? 0 : (double) rate / (publishers * streams);
    if (publishers < 1 || subscribers < 1 || streams < 1 || size < 32 || rate < 1 || publishConnections < 1) {
      throw new IllegalArgumentException("fanout: --publishers, --subscribers, --streams, --rate and "
          + "--publish-connections must be >= 1 and --size >= 32");
    }
  }

  @Override
  public String name() {
    return "fanout";
  }

  @Override
  public Set<Target> targets() {
    return sse ? EnumSet.of(Target.SWITCHBOARD, Target.BASELINE) : EnumSet.allOf(Target.class);
  }

  @Override
  public String switchboardConfig() {
    return "widgets:\n"
        + "  maxSubscriptionsPerIp: 1000000\n"
        + "  maxSubscribersPerStream: 1000000\n"
        + "  rateLimit:\n    publishPerSecond: 1000000\n    burst: 1000000\n"
        + "identities:\n  widget-keys:\n    - key: " + WIDGET_KEY + "\n      streams: [\"*\"]\n";
  }

  @Override
  public List<String> baselineArgs() {
    return List.of("fanout");
  }

  static String streamId(int i) {
    return "bench-" + i;
  }

  @Override
  public Load open(Target target, int port, ClientTransport transport, LoadStats stats) throws Exception {
    String host = "127.0.0.1:" + port;
    Bootstrap base = bootstrap(transport).group(transport.group());
    List<Subscription> subs = new ArrayList<>();
    List<LoadSender> pubs = new ArrayList<>();
    List<Channel> pubChannels = new ArrayList<>();
    FanoutLoad load = new FanoutLoad(subs, pubs, pubChannels, ratePerPublisher);
    try {
      for (int s = 0; s < streams; s++) {
        String stream = streamId(s);
        String token = null;
        for (int from = 0; from < subscribers; from += CONNECT_BATCH) {
          List<Subscription> batch = new ArrayList<>();
          for (int i = from; i < Math.min(subscribers, from + CONNECT_BATCH); i++) {
            Subscription sub = new Subscription(stats);
            subs.add(sub);
            batch.add(sub);
            sub.channel = base.clone().handler(subscriberInit(target, sub, host, stream, stats))
                .connect("127.0.0.1", port).channel();
          }
          for (Subscription sub : batch) {
            String t = sub.ready().get(60, TimeUnit.SECONDS);
            token = token == null ? t : token;
          }
        }
        for (int p = 0; p < publishers; p++) {
          EventLoop loop = transport.group().next();
          Bootstrap b = bootstrap(transport).group(loop);
          LoadSender.SendTransport pt;
          if (target == Target.NATS) {
            NatsProtocolHandler h = new NatsProtocolHandler(null, buf -> { }, stats::error);
            Channel ch = b.handler(h).connect("127.0.0.1", port).sync().channel();
            pubChannels.add(ch);
            h.ready().get(30, TimeUnit.SECONDS);
            pt = new NatsPublishTransport(ch, "bench." + stream, size, stats);
          } else {
            HttpLoadTransport http = new HttpLoadTransport(publishRequests(host,
                "/publish/" + stream + "?token=" + (token == null || token.isEmpty() ? "bench" : token)),
                false, stats, status -> { });
            for (int c = 0; c < publishConnections; c++) {
              pubChannels.add(b.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                  ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                      http.newHandler());
                }
              }).connect("127.0.0.1", port).sync().channel());
            }
            pt = http;
          }
          pubs.add(new LoadSender(loop, pt, stats));
        }
      }
      return load;
    } catch (Exception | Error e) {
      load.close();
      throw e;
    }
  }

  /** {@code POST path} with a broadcast envelope around a stamped message of {@code --size} bytes. */
  private HttpLoadTransport.RequestFactory publishRequests(String host, String path) {
    String tail = ",\"timestamp\":1.0,\"type\":\"broadcast\",\"widget_key\":\"" + WIDGET_KEY + "\"}";
    long[] seq = {0};
    return (alloc, intended) -> {
      ByteBuf body = alloc.buffer(size + 160);
      body.writeCharSequence("{\"message\":", StandardCharsets.US_ASCII);
      Stamp.write(body, intended, seq[0]++, size);
      body.writeCharSequence(tail, StandardCharsets.US_ASCII);
      FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, body);
      req.headers().set(HttpHeaderNames.HOST, host)
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      return req;
    };
  }

  private static Bootstrap bootstrap(ClientTransport transport) {
    return new Bootstrap().channel(transport.channelClass()).option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  private ChannelInitializer<Channel> subscriberInit(Target target, Subscription sub, String host, String stream,
      LoadStats stats) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (target == Target.NATS) {
          NatsProtocolHandler h = new NatsProtocolHandler("bench." + stream, sub::onEvent, stats::error);
          h.ready().thenRun(sub::readyWithoutEvent);
          ch.pipeline().addLast(h, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
              sub.onClosed();
            }
          });
        } else if (sse) {
          ch.pipeline().addLast(new HttpClientCodec(), new SseSubscriberHandler(sub, host, "/subscribe/" + stream));
        } else {
          WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
              .webSocketUri(URI.create("ws://" + host + "/subscribe/" + stream)).version(WebSocketVersion.V13)
              .handshakeTimeoutMillis(30_000).maxFramePayloadLength(1 << 20).withUTF8Validator(false).build();
          ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
              new WebSocketClientProtocolHandler(cfg), new WsSubscriberHandler(sub));
        }
      }
    };
  }

  /** The connected subscribers and publishers of one target. */
  private static final class FanoutLoad implements Load {
    private final List<Subscription> subs;
    private final List<LoadSender> pubs;
    private final List<Channel> pubChannels;
    private final double ratePerPublisher;

    FanoutLoad(List<Subscription> subs, List<LoadSender> pubs, List<Channel> pubChannels, double ratePerPublisher) {
      this.subs = subs;
      this.pubs = pubs;
      this.pubChannels = pubChannels;
      this.ratePerPublisher = ratePerPublisher;
    }

    @Override
    public void start() {
      long t0 = BenchClock.now() + TimeUnit.MILLISECONDS.toNanos(5);
      pubs.forEach(p -> p.start(t0, ratePerPublisher));
    }

    @Override
    public void stop() {
      pubs.forEach(LoadSender::stop);
    }

    @Override
    public void close() {
      stop();
      List<CompletableFuture<Void>> closed = new ArrayList<>();
      for (Channel ch : pubChannels) {
        closed.add(toFuture(ch.close()));
      }
      for (Subscription s : subs) {
        s.close();
        Channel ch = s.channel;
        if (ch != null) {
          closed.add(toFuture(ch.closeFuture()));
        }
      }
      try {
        CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort: the event loops are shut down after the run anyway
      }
    }

    private static CompletableFuture<Void> toFuture(io.netty.channel.ChannelFuture f) {
      CompletableFuture<Void> c = new CompletableFuture<>();
      f.addListener(x -> c.complete(null));
      return c;
    }
  }
}
