package io.switchboard.bench.harness.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.bench.harness.LoadStats;
import java.util.concurrent.CompletableFuture;

/**
 * One subscriber's state, shared by its transport's handler (WebSocket, SSE or NATS): the first event it receives
 * makes it ready (and carries the widgets publish token, if any); every later event that embeds a send time is a
 * delivery. A close the harness did not ask for is an error.
 */
public final class Subscription {
  private final LoadStats stats;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private volatile boolean closing;
  public volatile Channel channel;

  public Subscription(LoadStats stats) {
    this.stats = stats;
  }

  /** Completes with the publish token of the first event ({@code ""} when it carries none). */
  public CompletableFuture<String> ready() {
    return ready;
  }

  /** Marks the subscription ready without an event (NATS: the PONG after SUB). */
  public void readyWithoutEvent() {
    ready.complete("");
  }

  /** One event's bytes (a frame's payload, an SSE event, a NATS payload); not retained. */
  public void onEvent(ByteBuf event) {
    if (!ready.isDone()) {
      String token = Stamp.token(event);
      ready.complete(token == null ? "" : token);
      return;
    }
    long t = Stamp.intendedTime(event);
    if (t >= 0) {
      stats.delivered(t);
    }
  }

  public void onFailure(Throwable cause) {
    if (!ready.isDone()) {
      ready.completeExceptionally(cause);
    } else if (!closing) {
      stats.error();
    }
  }

  public void onClosed() {
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException("closed before the first event"));
    } else if (!closing) {
      stats.error();
    }
  }

  public void close() {
    closing = true;
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }
}
