package io.switchboard.bench.harness.bots;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
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
import io.switchboard.bench.harness.client.LoadSender;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code bots}: {@code --bots} sender bots (default 8), each on its own Blaze connection, send gzip
 * {@code CREATE_MESSAGE} frames to one recipient bot at {@code --rate} in total (default 2000/s); each
 * acknowledgement is timed from its slot. Switchboard runs with RocksDB and durability {@code batch}; the baseline
 * inflates, scans and appends to RocksDB with the same 5 ms group commit before it acknowledges.
 */
public final class BotsScenario implements Scenario {
  private final int bots;
  private final int rate;
  private final boolean max;
  private final List<BotFixture.Bot> identities;

  public BotsScenario(BenchOptions o) {
    this.bots = o.integer("bots", 8);
    this.rate = o.integer("rate", 2000);
    this.max = o.flag("max");
    if (bots < 1 || rate < 1) {
      throw new IllegalArgumentException("bots: --bots and --rate must be >= 1");
    }
    this.identities = BotFixture.bots(bots);
  }

  @Override
  public String name() {
    return "bots";
  }

  @Override
  public Set<Target> targets() {
    return EnumSet.of(Target.SWITCHBOARD, Target.BASELINE);
  }

  @Override
  public String switchboardConfig() {
    return BotFixture.switchboardConfig(identities);
  }

  @Override
  public List<String> baselineArgs() {
    return List.of("bots");
  }

  @Override
  public Load open(Target target, int port, ClientTransport transport, LoadStats stats) throws Exception {
    BotFixture.Bot recipient = identities.get(bots);
    List<BotHandler> handlers = new ArrayList<>();
    List<LoadSender> senders = new ArrayList<>();
    BotsLoad load = new BotsLoad(handlers, senders);
    try {
      for (int i = 0; i < bots; i++) {
        BotFixture.Bot bot = identities.get(i);
        BotHandler h = new BotHandler(bot.uid(), recipient.uid(), stats);
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(URI.create("ws://127.0.0.1:" + port + "/")).version(WebSocketVersion.V13)
            .subprotocol("Mixin-Blaze-1").withUTF8Validator(false).handshakeTimeoutMillis(30_000)
            .customHeaders(new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bot.upgradeToken()))
            .maxFramePayloadLength(1 << 20).build();
        new Bootstrap().group(transport.group()).channel(transport.channelClass())
            .option(ChannelOption.TCP_NODELAY, true).handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                    new WebSocketClientProtocolHandler(cfg), h);
              }
            }).connect("127.0.0.1", port);
        handlers.add(h);
      }
      for (BotHandler h : handlers) {
        h.ready().get(30, TimeUnit.SECONDS);
      }
      Map<EventLoop, List<BotHandler>> byLoop = new IdentityHashMap<>();
      for (BotHandler h : handlers) {
        byLoop.computeIfAbsent(h.channel().eventLoop(), l -> new ArrayList<>()).add(h);
      }
      for (Map.Entry<EventLoop, List<BotHandler>> e : byLoop.entrySet()) {
        senders.add(new LoadSender(e.getKey(), new BotTransport(e.getValue()), stats));
      }
      load.ratePerSender = max ? 0 : (double) rate / senders.size();
      return load;
    } catch (Exception | Error e) {
      load.close();
      throw e;
    }
  }

  /** Sends each due message from the next bot of this loop, round robin; one flush per bot per tick. */
  private static final class BotTransport implements LoadSender.SendTransport {
    private static final int MAX_IN_FLIGHT = 128;
    private final List<BotHandler> bots;
    private final boolean[] dirty;
    private int next;
    private boolean stopped;

    BotTransport(List<BotHandler> bots) {
      this.bots = bots;
      this.dirty = new boolean[bots.size()];
    }

    @Override
    public void submit(long intendedNanos) {
      if (!stopped) {
        int i = next++ % bots.size();
        bots.get(i).send(intendedNanos);
        dirty[i] = true;
      }
    }

    /**
     * {@code --max}: keeps up to {@link #MAX_IN_FLIGHT} unanswered messages per bot (a window, like the HTTP pool's
     * one request per connection), so the run measures acknowledged throughput rather than a flood that the
     * broker can only answer with reply-deadline errors.
     */
    @Override
    public void fill() {
      for (int n = 0; n < bots.size() && !stopped; n++) {
        int i = next++ % bots.size();
        BotHandler bot = bots.get(i);
        while (bot.inFlight() < MAX_IN_FLIGHT && bot.channel().isWritable()) {
          bot.send(BenchClock.now());
          dirty[i] = true;
        }
      }
    }

    @Override
    public void flush() {
      for (int i = 0; i < dirty.length; i++) {
        if (dirty[i]) {
          bots.get(i).channel().flush();
          dirty[i] = false;
        }
      }
    }

    @Override
    public void stop() {
      stopped = true;
    }

    @Override
    public int backlog() {
      return 0;
    }
  }

  /** The connected bots and their senders. */
  private static final class BotsLoad implements Load {
    private final List<BotHandler> handlers;
    private final List<LoadSender> senders;
    double ratePerSender;

    BotsLoad(List<BotHandler> handlers, List<LoadSender> senders) {
      this.handlers = handlers;
      this.senders = senders;
    }

    @Override
    public void start() {
      long t0 = BenchClock.now() + TimeUnit.MILLISECONDS.toNanos(5);
      senders.forEach(s -> s.start(t0, ratePerSender));
    }

    @Override
    public void stop() {
      senders.forEach(LoadSender::stop);
    }

    @Override
    public void close() {
      stop();
      handlers.forEach(BotHandler::close);
      for (BotHandler h : handlers) {
        if (h.channel() != null) {
          h.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
      }
    }
  }
}
