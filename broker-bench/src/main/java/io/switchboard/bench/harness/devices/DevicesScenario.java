package io.switchboard.bench.harness.devices;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
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
import io.switchboard.bench.harness.client.Subscription;
import io.switchboard.bench.harness.client.WsSubscriberHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code devices}: N device connections ({@code --devices}, default 256), one device each. {@code --mode events}
 * (default): the devices send signed events at {@code --rate} in total; an event counts when it reaches the app's
 * event feed (one WebSocket subscriber), timed from its slot. {@code --mode calls}: Caller API requests at
 * {@code --rate} over keep-alive HTTP, each answered by its device with a signed response; timed to the HTTP
 * answer; 504s are deadline misses (and errors). The baseline serves the same routes with the same scan + HMAC.
 */
public final class DevicesScenario implements Scenario {
  private static final int CONNECT_BATCH = 50;
  private final int devices;
  private final boolean calls;
  private final int rate;
  private final boolean max;
  private final int connections;
  private final int window;
  private final AtomicLong deadlineMisses = new AtomicLong();

  public DevicesScenario(BenchOptions o) {
    this.devices = o.integer("devices", 256);
    String mode = o.string("mode", "events");
    if (!mode.equals("events") && !mode.equals("calls")) {
      throw new IllegalArgumentException("--mode " + mode + " (expected: events or calls)");
    }
    this.calls = mode.equals("calls");
    this.rate = o.integer("rate", 2000);
    this.max = o.flag("max");
    this.connections = o.integer("publish-connections", 16);
    this.window = o.integer("window", 4096);
    if (devices < 1 || rate < 1 || connections < 1 || window < 1) {
      throw new IllegalArgumentException("devices: --devices, --rate, --publish-connections and --window must be "
          + ">= 1");
    }
  }

  @Override
  public String name() {
    return "devices";
  }

  @Override
  public Set<Target> targets() {
    return EnumSet.of(Target.SWITCHBOARD, Target.BASELINE);
  }

  @Override
  public String switchboardConfig() {
    return DeviceFixture.switchboardConfig(devices);
  }

  @Override
  public List<String> baselineArgs() {
    return List.of("devices");
  }

  /** Caller API answers 504 (device_unresponsive) seen in the last run. */
  public long deadlineMisses() {
    return deadlineMisses.get();
  }

  @Override
  public Load open(Target target, int port, ClientTransport transport, LoadStats stats) throws Exception {
    deadlineMisses.set(0);
    String host = "127.0.0.1:" + port;
    List<DeviceHandler> handlers = new ArrayList<>();
    List<Channel> others = new ArrayList<>();
    List<LoadSender> senders = new ArrayList<>();
    Subscription feed = new Subscription(stats);
    DevicesLoad load = new DevicesLoad(handlers, others, senders, feed, calls, deadlineMisses);
    try {
      if (!calls) {
        HttpHeaders auth = new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + DeviceFixture.API_KEY);
        feed.channel = bootstrap(transport, transport.group())
            .handler(wsInit("ws://" + host + "/api/v1/events", auth, new WsSubscriberHandler(feed, true)))
            .connect("127.0.0.1", port).channel();
        feed.ready().get(30, TimeUnit.SECONDS);
      }
      for (int from = 0; from < devices; from += CONNECT_BATCH) {
        List<DeviceHandler> batch = new ArrayList<>();
        for (int i = from; i < Math.min(devices, from + CONNECT_BATCH); i++) {
          String id = DeviceFixture.deviceId(i);
          DeviceHandler h = new DeviceHandler(id, stats);
          HttpHeaders headers = new DefaultHttpHeaders().set("appkey", DeviceFixture.APP_KEY).set("deviceids", id)
              .set("platform", "ESP32").set("SDKVersion", "4.0.0");
          bootstrap(transport, transport.group()).handler(wsInit("ws://" + host + "/devices", headers, h))
              .connect("127.0.0.1", port);
          handlers.add(h);
          batch.add(h);
        }
        for (DeviceHandler h : batch) {
          h.ready().get(60, TimeUnit.SECONDS);
        }
      }
      Map<EventLoop, List<DeviceHandler>> byLoop = new IdentityHashMap<>();
      for (DeviceHandler h : handlers) {
        byLoop.computeIfAbsent(h.channel().eventLoop(), l -> new ArrayList<>()).add(h);
      }
      int loops = byLoop.size();
      int[] next = {0};
      for (Map.Entry<EventLoop, List<DeviceHandler>> e : byLoop.entrySet()) {
        EventLoop loop = e.getKey();
        LoadSender.SendTransport st;
        if (calls) {
          HttpLoadTransport http = new HttpLoadTransport((alloc, intended) -> action(host, next), true, stats,
              status -> {
                if (status == 504) {
                  deadlineMisses.incrementAndGet();
                }
              });
          for (int c = 0; c < Math.max(1, connections / loops); c++) {
            others.add(bootstrap(transport, loop).handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), http.newHandler());
              }
            }).connect("127.0.0.1", port).sync().channel());
          }
          st = http;
        } else {
          st = new EventTransport(e.getValue(), stats, window);
        }
        senders.add(new LoadSender(loop, st, stats));
      }
      load.ratePerSender = max ? 0 : (double) rate / senders.size();
      return load;
    } catch (Exception | Error e) {
      load.close();
      throw e;
    }
  }

  /** One Caller API action to the next device, round robin. */
  private FullHttpRequest action(String host, int[] next) {
    String id = DeviceFixture.deviceId(next[0]++ % devices);
    byte[] body = "{\"action\":\"setPowerState\",\"value\":{\"state\":\"On\"},\"clientId\":\"bench\"}"
        .getBytes(StandardCharsets.US_ASCII);
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "/api/v1/devices/" + id + "/actions", Unpooled.wrappedBuffer(body));
    req.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.AUTHORIZATION, "Bearer " + DeviceFixture.API_KEY)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return req;
  }

  private static Bootstrap bootstrap(ClientTransport transport, EventLoopGroup group) {
    return new Bootstrap().group(group).channel(transport.channelClass()).option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  /** A device WebSocket pipeline at {@code uri} with the devices' upgrade headers, {@code last} at the end. */
  public static ChannelInitializer<Channel> wsInit(String uri, HttpHeaders headers,
      io.netty.channel.ChannelHandler last) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(URI.create(uri)).version(WebSocketVersion.V13).customHeaders(headers)
            .handshakeTimeoutMillis(30_000).maxFramePayloadLength(1 << 20).withUTF8Validator(false).build();
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
            new WebSocketClientProtocolHandler(cfg), last);
      }
    };
  }

  /** Sends each due event from the next device of this loop, round robin; flushes what it wrote once per tick. */
  private static final class EventTransport implements LoadSender.SendTransport {
    private final List<DeviceHandler> devices;
    private static final long MAX_DEVICE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private final long window;
    private final LoadStats stats;
    private final boolean[] dirty;
    private final long[] lastSent;
    private int next;
    private boolean stopped;

    EventTransport(List<DeviceHandler> devices, LoadStats stats, long window) {
      this.devices = devices;
      this.stats = stats;
      this.window = window;
      this.dirty = new boolean[devices.size()];
      this.lastSent = new long[devices.size()];
      java.util.Arrays.fill(lastSent, Long.MIN_VALUE / 2);
    }

    @Override
    public void submit(long intendedNanos) {
      if (stopped) {
        return;
      }
      int i = next++ % devices.size();
      devices.get(i).sendEvent(intendedNanos);
      dirty[i] = true;
    }

    /**
     * {@code --max}: every writable device sends, but each at most once per {@link #MAX_DEVICE_INTERVAL_NANOS}
     * (far above the generated config's 1 µs event-rate interval: an event the limiter drops never reaches the feed
     * and would hold a place in the window for the rest of the run; with a 1 ms interval, bunching during the JIT
     * warm-up dropped ~4,000 events and shrank a 4,096 window to a few dozen), so the broker's rate limiter never
     * drops one and
     * the run measures the event path, not the limiter; and only while fewer than {@code --window} events (default
     * 4096) are still on their way to the feed, so a flood does not end in the feed's slow-consumer close. The
     * window must cover the target's latency at its capacity (Little's law): with 512, a broker that acknowledges
     * after a 5 ms group commit was held to 512 events per commit cycle while a core stood idle.
     */
    @Override
    public void fill() {
      if (stats.unanswered() > window) {
        return; // events have no reply: the feed deliveries are the only backpressure there is
      }
      long now = BenchClock.now();
      for (int n = 0; n < devices.size() && !stopped; n++) {
        int i = next++ % devices.size();
        if (now - lastSent[i] >= MAX_DEVICE_INTERVAL_NANOS && devices.get(i).channel().isWritable()) {
          devices.get(i).sendEvent(now);
          lastSent[i] = now;
          dirty[i] = true;
        }
      }
    }

    @Override
    public void flush() {
      for (int i = 0; i < dirty.length; i++) {
        if (dirty[i]) {
          devices.get(i).channel().flush();
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

  /** The connected devices, the feed subscriber and the senders of one target. */
  private static final class DevicesLoad implements Load {
    private final List<DeviceHandler> handlers;
    private final List<Channel> others;
    private final List<LoadSender> senders;
    private final Subscription feed;
    private final boolean calls;
    private final AtomicLong misses;
    double ratePerSender;

    DevicesLoad(List<DeviceHandler> handlers, List<Channel> others, List<LoadSender> senders, Subscription feed,
        boolean calls, AtomicLong misses) {
      this.handlers = handlers;
      this.others = others;
      this.senders = senders;
      this.feed = feed;
      this.calls = calls;
      this.misses = misses;
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
      if (calls) {
        System.out.println("deadline misses (504 device_unresponsive): " + misses.get());
      }
      feed.close();
      others.forEach(Channel::close);
      handlers.forEach(DeviceHandler::close);
      for (DeviceHandler h : handlers) {
        if (h.channel() != null) {
          h.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
      }
    }
  }
}
