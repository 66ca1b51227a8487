package io.switchboard.server.widgets;

import io.switchboard.core.stream.ChannelSubscriber;
import java.net.InetAddress;

/**
 * One open subscription (widgets.md §2–§3): its identity, its channel's stream subscriber (the address of
 * private, request and webhook events) and how its transport ends it.
 */
final class Viewer {
  final String streamId;
  final InetAddress ip;
  final boolean sse;
  /** Set at join: a fresh identity, or the previous one when a resume carried a token still in grace. */
  String userId;
  String token;
  ChannelSubscriber subscriber;
  /** Ends the subscription once the stream's {@code end} event (this sequence number) went out. */
  java.util.function.LongConsumer ender;

  Viewer(String streamId, InetAddress ip, boolean sse) {
    this.streamId = streamId;
    this.ip = ip;
    this.sse = sse;
  }
}
