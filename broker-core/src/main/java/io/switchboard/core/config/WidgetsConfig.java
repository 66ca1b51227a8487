package io.switchboard.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The widgets dialect (inLive widget API compatible; contract: protocols/widgets.md §7). Immutable and validated
 * once; defaults are the spec's. {@code historyMaxAge} is null when unset or 0s (no age eviction).
 */
public record WidgetsConfig(int maxSubscriptionsPerIp, int maxSubscribersPerStream, Duration tokenGrace,
    int subscriberQueue, Duration heartbeat, Duration pingInterval, Duration readIdleTimeout, int maxBodyBytes,
    int maxJsonDepth, int maxEventBytes, int requestMaxMessages, int historyMaxPerStream, Duration historyMaxAge,
    int resumeMaxEvents, Duration privateRetention, int publishPerSecond, int publishBurst,
    int webhookPerKeyPerMinute, int webhookWorkers, int webhookQueueSize, Duration webhookTimeout,
    int webhookMaxRetries, int webhookMaxBodyBytes, List<Integer> webhookAllowedPorts, List<String> webhookAllow,
    List<String> listeners) {

  public WidgetsConfig {
    Checks.positive("widgets.maxSubscriptionsPerIp", maxSubscriptionsPerIp);
    Checks.positive("widgets.maxSubscribersPerStream", maxSubscribersPerStream);
    Checks.positive("widgets.tokenGrace", tokenGrace);
    Checks.positive("widgets.subscriberQueue", subscriberQueue);
    Checks.positive("widgets.heartbeat", heartbeat);
    Checks.positive("widgets.pingInterval", pingInterval);
    Checks.positive("widgets.readIdleTimeout", readIdleTimeout);
    Checks.range("widgets.limits.maxBodyBytes", maxBodyBytes, 256, 16 << 20);
    Checks.range("widgets.limits.maxJsonDepth", maxJsonDepth, 2, 1000);
    Checks.range("widgets.limits.maxEventBytes", maxEventBytes, 1024, 64 << 20);
    Checks.range("widgets.request.maxMessages", requestMaxMessages, 1, 10_000);
    Checks.range("widgets.history.maxPerStream", historyMaxPerStream, 1, 1_000_000);
    if (historyMaxAge != null && historyMaxAge.isNegative()) {
      throw new ConfigException("widgets.history.maxAge", Durations.format(historyMaxAge) + " (expected: >= 0)");
    }
    if (historyMaxAge != null && historyMaxAge.isZero()) {
      historyMaxAge = null; // 0s: unset
    }
    Checks.range("widgets.resume.maxEvents", resumeMaxEvents, 0, 1_000_000);
    Checks.positive("widgets.resume.privateRetention", privateRetention);
    Checks.positive("widgets.rateLimit.publishPerSecond", publishPerSecond);
    Checks.positive("widgets.rateLimit.burst", publishBurst);
    Checks.positive("widgets.webhook.perKeyPerMinute", webhookPerKeyPerMinute);
    Checks.range("widgets.webhook.workers", webhookWorkers, 1, 1024);
    Checks.range("widgets.webhook.queueSize", webhookQueueSize, 0, 1_000_000);
    Checks.positive("widgets.webhook.timeout", webhookTimeout);
    Checks.range("widgets.webhook.maxRetries", webhookMaxRetries, 0, 10);
    Checks.range("widgets.webhook.maxBodyBytes", webhookMaxBodyBytes, 0, 1 << 20);
    webhookAllowedPorts = List.copyOf(Checks.notNull("widgets.webhook.allowedPorts", webhookAllowedPorts));
    for (int p : webhookAllowedPorts) {
      Checks.range("widgets.webhook.allowedPorts", p, 1, 65535);
    }
    webhookAllow = List.copyOf(Checks.notNull("widgets.webhook.allow", webhookAllow));
    listeners = List.copyOf(Checks.notNull("widgets.listeners", listeners));
  }

  public static WidgetsConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder with the spec's defaults. */
  public static final class Builder {
    private int maxSubscriptionsPerIp = 20;
    private int maxSubscribersPerStream = 10_000;
    private Duration tokenGrace = Duration.ofSeconds(120);
    private int subscriberQueue = 1000;
    private Duration heartbeat = Duration.ofSeconds(15);
    private Duration pingInterval = Duration.ofSeconds(15);
    private Duration readIdleTimeout = Duration.ofSeconds(45);
    private long maxBodyBytes = 16 << 10;
    private int maxJsonDepth = 32;
    private long maxEventBytes = 256 << 10;
    private int requestMaxMessages = 100;
    private int historyMaxPerStream = 1000;
    private Duration historyMaxAge;
    private int resumeMaxEvents = 1000;
    private Duration privateRetention = Duration.ofSeconds(120);
    private int publishPerSecond = 10;
    private int publishBurst = 20;
    private int webhookPerKeyPerMinute = 60;
    private int webhookWorkers = 16;
    private int webhookQueueSize = 1000;
    private Duration webhookTimeout = Duration.ofSeconds(5);
    private int webhookMaxRetries = 3;
    private long webhookMaxBodyBytes = 4096;
    private List<Integer> webhookAllowedPorts = List.of(80, 443);
    private List<String> webhookAllow = List.of();
    private List<String> listeners = List.of();

    private Builder() {}

    public Builder maxSubscriptionsPerIp(int v) { maxSubscriptionsPerIp = v; return this; }
    public Builder maxSubscribersPerStream(int v) { maxSubscribersPerStream = v; return this; }
    public Builder tokenGrace(Duration v) { tokenGrace = v; return this; }
    public Builder subscriberQueue(int v) { subscriberQueue = v; return this; }
    public Builder heartbeat(Duration v) { heartbeat = v; return this; }
    public Builder pingInterval(Duration v) { pingInterval = v; return this; }
    public Builder readIdleTimeout(Duration v) { readIdleTimeout = v; return this; }
    public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
    public Builder maxJsonDepth(int v) { maxJsonDepth = v; return this; }
    public Builder maxEventBytes(long v) { maxEventBytes = v; return this; }
    public Builder requestMaxMessages(int v) { requestMaxMessages = v; return this; }
    public Builder historyMaxPerStream(int v) { historyMaxPerStream = v; return this; }
    public Builder historyMaxAge(Duration v) { historyMaxAge = v; return this; }
    public Builder resumeMaxEvents(int v) { resumeMaxEvents = v; return this; }
    public Builder privateRetention(Duration v) { privateRetention = v; return this; }
    public Builder publishPerSecond(int v) { publishPerSecond = v; return this; }
    public Builder publishBurst(int v) { publishBurst = v; return this; }
    public Builder webhookPerKeyPerMinute(int v) { webhookPerKeyPerMinute = v; return this; }
    public Builder webhookWorkers(int v) { webhookWorkers = v; return this; }
    public Builder webhookQueueSize(int v) { webhookQueueSize = v; return this; }
    public Builder webhookTimeout(Duration v) { webhookTimeout = v; return this; }
    public Builder webhookMaxRetries(int v) { webhookMaxRetries = v; return this; }
    public Builder webhookMaxBodyBytes(long v) { webhookMaxBodyBytes = v; return this; }
    public Builder webhookAllow(List<String> v) { webhookAllow = v; return this; }
    public Builder listeners(List<String> v) { listeners = v; return this; }

    /** Ports as written in the file; each must be an integer in 1..65535. */
    public Builder webhookAllowedPorts(List<String> v) {
      List<Integer> ports = new ArrayList<>();
      for (String s : v) {
        try {
          ports.add(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
          throw new ConfigException("widgets.webhook.allowedPorts", s + " (expected: a port 1..65535)");
        }
      }
      webhookAllowedPorts = ports;
      return this;
    }

    public Builder webhookAllowedPortNumbers(List<Integer> v) { webhookAllowedPorts = v; return this; }

    public WidgetsConfig build() {
      return new WidgetsConfig(maxSubscriptionsPerIp, maxSubscribersPerStream, tokenGrace, subscriberQueue,
          heartbeat, pingInterval, readIdleTimeout,
          (int) Checks.range("widgets.limits.maxBodyBytes", maxBodyBytes, 256, 16 << 20), maxJsonDepth,
          (int) Checks.range("widgets.limits.maxEventBytes", maxEventBytes, 1024, 64 << 20), requestMaxMessages,
          historyMaxPerStream, historyMaxAge, resumeMaxEvents, privateRetention, publishPerSecond, publishBurst,
          webhookPerKeyPerMinute, webhookWorkers, webhookQueueSize, webhookTimeout, webhookMaxRetries,
          (int) Checks.range("widgets.webhook.maxBodyBytes", webhookMaxBodyBytes, 0, 1 << 20),
          webhookAllowedPorts, webhookAllow, listeners);
    }
  }
}
