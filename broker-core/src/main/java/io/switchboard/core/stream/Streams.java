package io.switchboard.core.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's named streams. A stream is created on first use with the class given then; in-process publishing
 * and subscribing go through here, socket subscribers attach a {@link ChannelSubscriber} to {@link #stream}.
 */
public final class Streams {
  private final MeterRegistry registry;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final Map<StreamClass, StreamMetrics> metrics = new ConcurrentHashMap<>();

  public Streams(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The stream called {@code name}, created with {@code streamClass} if it does not exist yet. */
  public Stream stream(String name, StreamClass streamClass) {
    Stream s = streams.get(name);
    if (s != null) {
      return s;
    }
    return streams.computeIfAbsent(name,
        n -> new Stream(n, streamClass, metrics.computeIfAbsent(streamClass, c -> new StreamMetrics(registry, c))));
  }

  /** The stream called {@code name} in the {@link StreamClass#DEFAULT default} class. */
  public Stream stream(String name) {
    return stream(name, StreamClass.DEFAULT);
  }

  /** The stream called {@code name}, or {@code null} if nobody created it. */
  public Stream find(String name) {
    return streams.get(name);
  }

  /** Publishes to {@code name} (default class if new); takes ownership of {@code payload}. */
  public long publish(String name, ByteBuf payload) {
    return stream(name).publish(payload);
  }

  /** Subscribes an in-process listener that runs on {@code loop}. */
  public Subscription subscribe(String name, EventLoop loop, StreamListener listener) {
    return stream(name).subscribe(new ListenerSubscriber(name, loop, listener));
  }

  /** Number of streams known. */
  public int size() {
    return streams.size();
  }
}
