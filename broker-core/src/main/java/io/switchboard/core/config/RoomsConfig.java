package io.switchboard.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The rooms dialect (Talkee compatible; contract: protocols/rooms.md §7). Immutable and validated once; defaults
 * are the spec's.
 */
public record RoomsConfig(Duration authTimeout, Duration clockSkew, int maxInboundFrameBytes, int maxBodyBytes,
    int maxTextBytes, int maxSlugChars, int rateLimitMessages, Duration rateLimitWindow, int historyMaxPage,
    int historyMaxPerRoom, int maxSocketsPerRoom, int socketQueue, Duration pingInterval, Duration readIdleTimeout,
    List<String> listeners) {

  public RoomsConfig {
    Checks.notNull("rooms.authTimeout", authTimeout);
    if (authTimeout.isNegative()) {
      throw new ConfigException("rooms.authTimeout", Durations.format(authTimeout) + " (expected: >= 0; 0 disables)");
    }
    Checks.positive("rooms.auth.clockSkew", clockSkew);
    Checks.range("rooms.limits.maxInboundFrameBytes", maxInboundFrameBytes, 256, 1 << 20);
    Checks.range("rooms.limits.maxBodyBytes", maxBodyBytes, 256, 16 << 20);
    Checks.range("rooms.limits.maxTextBytes", maxTextBytes, 1, 1 << 20);
    Checks.range("rooms.limits.maxSlugChars", maxSlugChars, 1, 4096);
    Checks.positive("rooms.rateLimit.messages", rateLimitMessages);
    Checks.positive("rooms.rateLimit.window", rateLimitWindow);
    Checks.range("rooms.history.maxPage", historyMaxPage, 1, 10_000);
    Checks.positive("rooms.history.maxPerRoom", historyMaxPerRoom);
    Checks.positive("rooms.maxSocketsPerRoom", maxSocketsPerRoom);
    Checks.positive("rooms.socketQueue", socketQueue);
    Checks.positive("rooms.pingInterval", pingInterval);
    Checks.positive("rooms.readIdleTimeout", readIdleTimeout);
    listeners = List.copyOf(Checks.notNull("rooms.listeners", listeners));
  }

  public static RoomsConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder with the spec's defaults. */
  public static final class Builder {
    private Duration authTimeout = Duration.ofSeconds(10);
    private Duration clockSkew = Duration.ofSeconds(60);
    private long maxInboundFrameBytes = 4096;
    private long maxBodyBytes = 16 << 10;
    private long maxTextBytes = 4096;
    private int maxSlugChars = 256;
    private int rateLimitMessages = 10;
    private Duration rateLimitWindow = Duration.ofSeconds(10);
    private int historyMaxPage = 100;
    private int historyMaxPerRoom = 10_000;
    private int maxSocketsPerRoom = 10_000;
    private int socketQueue = 256;
    private Duration pingInterval = Duration.ofSeconds(30);
    private Duration readIdleTimeout = Duration.ofSeconds(90);
    private List<String> listeners = List.of();

    private Builder() {}

    public Builder authTimeout(Duration v) { authTimeout = v; return this; }
    public Builder clockSkew(Duration v) { clockSkew = v; return this; }
    public Builder maxInboundFrameBytes(long v) { maxInboundFrameBytes = v; return this; }
    public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
    public Builder maxTextBytes(long v) { maxTextBytes = v; return this; }
    public Builder maxSlugChars(int v) { maxSlugChars = v; return this; }
    public Builder rateLimitMessages(int v) { rateLimitMessages = v; return this; }
    public Builder rateLimitWindow(Duration v) { rateLimitWindow = v; return this; }
    public Builder historyMaxPage(int v) { historyMaxPage = v; return this; }
    public Builder historyMaxPerRoom(int v) { historyMaxPerRoom = v; return this; }
    public Builder maxSocketsPerRoom(int v) { maxSocketsPerRoom = v; return this; }
    public Builder socketQueue(int v) { socketQueue = v; return this; }
    public Builder pingInterval(Duration v) { pingInterval = v; return this; }
    public Builder readIdleTimeout(Duration v) { readIdleTimeout = v; return this; }
    public Builder listeners(List<String> v) { listeners = v; return this; }

    public RoomsConfig build() {
      return new RoomsConfig(authTimeout, clockSkew, (int) Math.min(Integer.MAX_VALUE, maxInboundFrameBytes),
          (int) Math.min(Integer.MAX_VALUE, maxBodyBytes), (int) Math.min(Integer.MAX_VALUE, maxTextBytes),
          maxSlugChars, rateLimitMessages, rateLimitWindow, historyMaxPage, historyMaxPerRoom, maxSocketsPerRoom,
          socketQueue, pingInterval, readIdleTimeout, listeners);
    }
  }
}
