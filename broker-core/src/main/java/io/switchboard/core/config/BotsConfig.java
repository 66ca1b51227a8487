package io.switchboard.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The bots dialect (Mixin Blaze compatible; contract: protocols/bots.md §7). Immutable; {@link Builder#build()}
 * validates every field and names the key at fault. Defaults are the spec's.
 */
public final class BotsConfig {
  private final Duration replyDeadline;
  private final Duration redeliveryAfter;
  private final Duration retention;
  private final Duration errorPause;
  private final int maxFrameBytes;
  private final int maxInflatedBytes;
  private final int maxJsonDepth;
  private final int maxDataBytes;
  private final int restMaxBodyBytes;
  private final int restMaxBatch;
  private final int maxConnectionsPerBot;
  private final Duration maxIatSkew;
  private final Duration failureDelay;
  private final Duration throttleWindow;
  private final int maxFailuresPerIp;
  private final int maxFailuresPerUid;
  private final boolean allowRs512;
  private final Duration pingInterval;
  private final Duration readIdleTimeout;
  private final int messagesPerMinute;
  private final int gzipLevel;
  private final List<String> listeners;

  private BotsConfig(Builder b) {
    replyDeadline = Checks.positive("bots.replyDeadline", b.replyDeadline);
    redeliveryAfter = Checks.positive("bots.redeliveryAfter", b.redeliveryAfter);
    retention = Checks.positive("bots.retention", b.retention);
    errorPause = Checks.notNull("bots.errorPause", b.errorPause);
    maxFrameBytes = (int) Checks.range("bots.limits.maxFrameBytes", b.maxFrameBytes, 1024, 16 << 20);
    maxInflatedBytes = (int) Checks.range("bots.limits.maxInflatedBytes", b.maxInflatedBytes, 1024, 64 << 20);
    maxJsonDepth = (int) Checks.range("bots.limits.maxJsonDepth", b.maxJsonDepth, 4, 1000);
    maxDataBytes = (int) Checks.range("bots.limits.maxDataBytes", b.maxDataBytes, 16, 16 << 20);
    restMaxBodyBytes = (int) Checks.range("bots.rest.maxBodyBytes", b.restMaxBodyBytes, 1024, 16 << 20);
    restMaxBatch = (int) Checks.range("bots.rest.maxBatch", b.restMaxBatch, 1, 10_000);
    maxConnectionsPerBot = Checks.positive("bots.maxConnectionsPerBot", b.maxConnectionsPerBot);
    maxIatSkew = Checks.positive("bots.auth.maxIatSkew", b.maxIatSkew);
    failureDelay = Checks.notNull("bots.auth.failureDelay", b.failureDelay);
    throttleWindow = Checks.positive("bots.auth.throttle.window", b.throttleWindow);
    maxFailuresPerIp = Checks.positive("bots.auth.throttle.maxFailuresPerIp", b.maxFailuresPerIp);
    maxFailuresPerUid = Checks.positive("bots.auth.throttle.maxFailuresPerUid", b.maxFailuresPerUid);
    allowRs512 = b.allowRs512;
    pingInterval = Checks.positive("bots.pingInterval", b.pingInterval);
    if (pingInterval.compareTo(Duration.ofSeconds(30)) >= 0) {
      // The Node SDK terminates a socket that saw no server ping for 30 s (§9).
      throw new ConfigException("bots.pingInterval", Durations.format(pingInterval) + " (expected: below 30s)");
    }
    readIdleTimeout = Checks.positive("bots.readIdleTimeout", b.readIdleTimeout);
    messagesPerMinute = Checks.positive("bots.quota.messagesPerMinute", b.messagesPerMinute);
    gzipLevel = (int) Checks.range("bots.gzipLevel", b.gzipLevel, 1, 9);
    listeners = List.copyOf(Checks.notNull("bots.listeners", b.listeners));
    if (maxInflatedBytes < maxDataBytes) {
      throw new ConfigException("bots.limits.maxInflatedBytes", maxInflatedBytes
          + " (expected: at least bots.limits.maxDataBytes, " + maxDataBytes + ")");
    }
  }

  public static BotsConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration replyDeadline() { return replyDeadline; }
  public Duration redeliveryAfter() { return redeliveryAfter; }
  public Duration retention() { return retention; }
  public Duration errorPause() { return errorPause; }
  public int maxFrameBytes() { return maxFrameBytes; }
  public int maxInflatedBytes() { return maxInflatedBytes; }
  public int maxJsonDepth() { return maxJsonDepth; }
  public int maxDataBytes() { return maxDataBytes; }
  public int restMaxBodyBytes() { return restMaxBodyBytes; }
  public int restMaxBatch() { return restMaxBatch; }
  public int maxConnectionsPerBot() { return maxConnectionsPerBot; }
  public Duration maxIatSkew() { return maxIatSkew; }
  public Duration failureDelay() { return failureDelay; }
  public Duration throttleWindow() { return throttleWindow; }
  public int maxFailuresPerIp() { return maxFailuresPerIp; }
  public int maxFailuresPerUid() { return maxFailuresPerUid; }
  public boolean allowRs512() { return allowRs512; }
  public Duration pingInterval() { return pingInterval; }
  public Duration readIdleTimeout() { return readIdleTimeout; }
  public int messagesPerMinute() { return messagesPerMinute; }
  public int gzipLevel() { return gzipLevel; }
  public List<String> listeners() { return listeners; }

  private List<Object> values() {
    return java.util.Arrays.asList(replyDeadline, redeliveryAfter, retention, errorPause, maxFrameBytes,
        maxInflatedBytes, maxJsonDepth, maxDataBytes, restMaxBodyBytes, restMaxBatch, maxConnectionsPerBot,
        maxIatSkew, failureDelay, throttleWindow, maxFailuresPerIp, maxFailuresPerUid, allowRs512, pingInterval,
        readIdleTimeout, messagesPerMinute, gzipLevel, listeners);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BotsConfig other && values().equals(other.values());
  }

  @Override
  public int hashCode() {
    return values().hashCode();
  }

  @Override
  public String toString() {
    return "BotsConfig[quota=" + messagesPerMinute + "/min, retention=" + Durations.format(retention)
        + ", redeliveryAfter=" + Durations.format(redeliveryAfter) + ", listeners=" + listeners + "]";
  }

  /** Mutable builder with the spec's defaults. */
  public static final class Builder {
    private Duration replyDeadline = Duration.ofMillis(2500);
    private Duration redeliveryAfter = Duration.ofSeconds(60);
    private Duration retention = Duration.ofDays(7);
    private Duration errorPause = Duration.ofSeconds(1);
    private long maxFrameBytes = 256 << 10;
    private long maxInflatedBytes = 1 << 20;
    private long maxJsonDepth = 32;
    private long maxDataBytes = 64 << 10;
    private long restMaxBodyBytes = 128 << 10;
    private long restMaxBatch = 100;
    private int maxConnectionsPerBot = 8;
    private Duration maxIatSkew = Duration.ofSeconds(300);
    private Duration failureDelay = Duration.ofSeconds(1);
    private Duration throttleWindow = Duration.ofSeconds(60);
    private int maxFailuresPerIp = 20;
    private int maxFailuresPerUid = 10;
    private boolean allowRs512;
    private Duration pingInterval = Duration.ofSeconds(15);
    private Duration readIdleTimeout = Duration.ofSeconds(45);
    private int messagesPerMinute = 100_000;
    private long gzipLevel = 3;
    private List<String> listeners = List.of();

    private Builder() {}

    public Builder replyDeadline(Duration v) { replyDeadline = v; return this; }
    public Builder redeliveryAfter(Duration v) { redeliveryAfter = v; return this; }
    public Builder retention(Duration v) { retention = v; return this; }
    public Builder errorPause(Duration v) { errorPause = v; return this; }
    public Builder maxFrameBytes(long v) { maxFrameBytes = v; return this; }
    public Builder maxInflatedBytes(long v) { maxInflatedBytes = v; return this; }
    public Builder maxJsonDepth(long v) { maxJsonDepth = v; return this; }
    public Builder maxDataBytes(long v) { maxDataBytes = v; return this; }
    public Builder restMaxBodyBytes(long v) { restMaxBodyBytes = v; return this; }
    public Builder restMaxBatch(long v) { restMaxBatch = v; return this; }
    public Builder maxConnectionsPerBot(int v) { maxConnectionsPerBot = v; return this; }
    public Builder maxIatSkew(Duration v) { maxIatSkew = v; return this; }
    public Builder failureDelay(Duration v) { failureDelay = v; return this; }
    public Builder throttleWindow(Duration v) { throttleWindow = v; return this; }
    public Builder maxFailuresPerIp(int v) { maxFailuresPerIp = v; return this; }
    public Builder maxFailuresPerUid(int v) { maxFailuresPerUid = v; return this; }
    public Builder allowRs512(boolean v) { allowRs512 = v; return this; }
    public Builder pingInterval(Duration v) { pingInterval = v; return this; }
    public Builder readIdleTimeout(Duration v) { readIdleTimeout = v; return this; }
    public Builder messagesPerMinute(int v) { messagesPerMinute = v; return this; }
    public Builder gzipLevel(long v) { gzipLevel = v; return this; }
    public Builder listeners(List<String> v) { listeners = v; return this; }

    public BotsConfig build() {
      return new BotsConfig(this);
    }
  }
}
