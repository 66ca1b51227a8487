package io.switchboard.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The devices dialect (Sinric Pro compatible; contract: protocols/devices.md §7). Immutable; {@link Builder#build()}
 * validates every field and names the key at fault. Defaults are the spec's.
 */
public final class DevicesConfig {
  /** Actions replayed on restore: §5.6 (setLockState and setMode are left out on purpose). */
  public static final List<String> DEFAULT_RESTORE_ACTIONS = List.of("setPowerState", "setPowerLevel",
      "setBrightness", "setColor", "setColorTemperature", "setThermostatMode", "targetTemperature", "setRangeValue",
      "setPercentage", "setToggleState", "setVolume", "setMute", "selectInput", "setBands");
  public static final List<String> DEFAULT_SENSOR_ACTIONS = List.of("currentTemperature", "airQuality",
      "currentAirQuality", "powerUsage", "currentPowerConsumption", "pushNotification");

  private final Duration replyDeadline;
  private final Duration verifyWindow;
  private final int maxFailures;
  private final Duration failureWindow;
  private final Duration stateInterval;
  private final Duration sensorInterval;
  private final Set<String> sensorActions;
  private final double rateTolerance;
  private final int maxPendingPerDevice;
  private final int maxPendingTotal;
  private final int callerMaxBodyBytes;
  private final String defaultClientId;
  private final int maxDevicesPerConnection;
  private final int maxInboundBytes;
  private final int maxJsonDepth;
  private final int maxStringChars;
  private final int maxOutboundBytes;
  private final Duration pingInterval;
  private final Duration readIdleTimeout;
  private final Duration feedHeartbeat;
  private final int feedRetainItems;
  private final int feedSubscriberQueue;
  private final int activityLogMaxEntries;
  private final List<String> restoreActions;
  private final boolean permessageDeflate;
  private final List<String> listeners;

  private DevicesConfig(Builder b) {
    replyDeadline = Checks.positive("devices.replyDeadline", b.replyDeadline);
    verifyWindow = Checks.positive("devices.verify.window", b.verifyWindow);
    maxFailures = Checks.positive("devices.verify.maxFailures", b.maxFailures);
    failureWindow = Checks.positive("devices.verify.failureWindow", b.failureWindow);
    stateInterval = Checks.positive("devices.rateLimit.stateInterval", b.stateInterval);
    sensorInterval = Checks.positive("devices.rateLimit.sensorInterval", b.sensorInterval);
    sensorActions = Set.copyOf(Checks.notNull("devices.rateLimit.sensorActions", b.sensorActions));
    if (!(b.rateTolerance >= 0 && b.rateTolerance < 1)) {
      throw new ConfigException("devices.rateLimit.tolerance", b.rateTolerance + " (expected: 0 <= x < 1)");
    }
    rateTolerance = b.rateTolerance;
    maxPendingPerDevice = Checks.positive("devices.caller.maxPendingPerDevice", b.maxPendingPerDevice);
    maxPendingTotal = Checks.positive("devices.caller.maxPendingTotal", b.maxPendingTotal);
    callerMaxBodyBytes = (int) Checks.range("devices.caller.maxBodyBytes", b.callerMaxBodyBytes, 64, 1 << 20);
    defaultClientId = Checks.notBlank("devices.caller.defaultClientId", b.defaultClientId);
    maxDevicesPerConnection = Checks.positive("devices.maxDevicesPerConnection", b.maxDevicesPerConnection);
    maxInboundBytes = (int) Checks.range("devices.limits.maxInboundBytes", b.maxInboundBytes, 1024, 16 << 20);
    maxJsonDepth = (int) Checks.range("devices.limits.maxJsonDepth", b.maxJsonDepth, 4, 1000);
    maxStringChars = (int) Checks.range("devices.limits.maxStringChars", b.maxStringChars, 64, 16 << 20);
    maxOutboundBytes = (int) Checks.range("devices.limits.maxOutboundBytes", b.maxOutboundBytes, 512, 16 << 20);
    pingInterval = Checks.positive("devices.pingInterval", b.pingInterval);
    readIdleTimeout = Checks.positive("devices.readIdleTimeout", b.readIdleTimeout);
    if (readIdleTimeout.compareTo(Duration.ofSeconds(310)) <= 0 && !b.allowShortIdle) {
      // Clients ping every 300 s and allow 10 s for the pong (§9): a shorter idle timeout drops healthy devices.
      throw new ConfigException("devices.readIdleTimeout", Durations.format(readIdleTimeout)
          + " (expected: above 310s, since clients ping every 300s)");
    }
    feedHeartbeat = Checks.positive("devices.feed.heartbeat", b.feedHeartbeat);
    feedRetainItems = Checks.positive("devices.feed.retainItems", b.feedRetainItems);
    feedSubscriberQueue = Checks.positive("devices.feed.subscriberQueue", b.feedSubscriberQueue);
    activityLogMaxEntries = Checks.positive("devices.activityLog.maxEntries", b.activityLogMaxEntries);
    restoreActions = List.copyOf(Checks.notNull("devices.restore.actions", b.restoreActions));
    permessageDeflate = b.permessageDeflate;
    listeners = List.copyOf(Checks.notNull("devices.listeners", b.listeners));
    for (String l : listeners) {
      int colon = l.lastIndexOf(':');
      if (colon <= 0) {
        throw new ConfigException("devices.listeners", "'" + l + "' (expected: host:port, for example 0.0.0.0:80)");
      }
      try {
        Checks.port("devices.listeners", Integer.parseInt(l.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new ConfigException("devices.listeners", "'" + l + "' has no valid port");
      }
    }
  }

  public static DevicesConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration replyDeadline() { return replyDeadline; }
  public Duration verifyWindow() { return verifyWindow; }
  public int maxFailures() { return maxFailures; }
  public Duration failureWindow() { return failureWindow; }
  public Duration stateInterval() { return stateInterval; }
  public Duration sensorInterval() { return sensorInterval; }
  public Set<String> sensorActions() { return sensorActions; }
  public double rateTolerance() { return rateTolerance; }
  public int maxPendingPerDevice() { return maxPendingPerDevice; }
  public int maxPendingTotal() { return maxPendingTotal; }
  public int callerMaxBodyBytes() { return callerMaxBodyBytes; }
  public String defaultClientId() { return defaultClientId; }
  public int maxDevicesPerConnection() { return maxDevicesPerConnection; }
  public int maxInboundBytes() { return maxInboundBytes; }
  public int maxJsonDepth() { return maxJsonDepth; }
  public int maxStringChars() { return maxStringChars; }
  public int maxOutboundBytes() { return maxOutboundBytes; }
  public Duration pingInterval() { return pingInterval; }
  public Duration readIdleTimeout() { return readIdleTimeout; }
  public Duration feedHeartbeat() { return feedHeartbeat; }
  public int feedRetainItems() { return feedRetainItems; }
  public int feedSubscriberQueue() { return feedSubscriberQueue; }
  public int activityLogMaxEntries() { return activityLogMaxEntries; }
  public List<String> restoreActions() { return restoreActions; }
  public boolean permessageDeflate() { return permessageDeflate; }
  /** Dedicated device-only listeners, {@code host:port} each (path {@code /} belongs to devices there). */
  public List<String> listeners() { return listeners; }

  private List<Object> values() {
    return java.util.Arrays.asList(replyDeadline, verifyWindow, maxFailures, failureWindow, stateInterval,
        sensorInterval, sensorActions, rateTolerance, maxPendingPerDevice, maxPendingTotal, callerMaxBodyBytes,
        defaultClientId, maxDevicesPerConnection, maxInboundBytes, maxJsonDepth, maxStringChars, maxOutboundBytes,
        pingInterval, readIdleTimeout, feedHeartbeat, feedRetainItems, feedSubscriberQueue, activityLogMaxEntries,
        restoreActions, permessageDeflate, listeners);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DevicesConfig other && values().equals(other.values());
  }

  @Override
  public int hashCode() {
    return values().hashCode();
  }

  @Override
  public String toString() {
    return "DevicesConfig[replyDeadline=" + Durations.format(replyDeadline) + ", window="
        + Durations.format(verifyWindow) + ", listeners=" + listeners + "]";
  }

  /** Mutable builder with the spec's defaults. */
  public static final class Builder {
    private Duration replyDeadline = Duration.ofSeconds(8);
    private Duration verifyWindow = Duration.ofSeconds(60);
    private int maxFailures = 10;
    private Duration failureWindow = Duration.ofSeconds(60);
    private Duration stateInterval = Duration.ofSeconds(1);
    private Duration sensorInterval = Duration.ofSeconds(60);
    private List<String> sensorActions = DEFAULT_SENSOR_ACTIONS;
    private double rateTolerance = 0.2;
    private int maxPendingPerDevice = 8;
    private int maxPendingTotal = 100_000;
    private long callerMaxBodyBytes = 16 << 10;
    private String defaultClientId = "api";
    private int maxDevicesPerConnection = 100;
    private long maxInboundBytes = 64 << 10;
    private long maxJsonDepth = 16;
    private long maxStringChars = 32768;
    private long maxOutboundBytes = 15000;
    private Duration pingInterval = Duration.ofSeconds(60);
    private Duration readIdleTimeout = Duration.ofSeconds(330);
    private boolean allowShortIdle;
    private Duration feedHeartbeat = Duration.ofSeconds(15);
    private int feedRetainItems = 1000;
    private int feedSubscriberQueue = 1000;
    private int activityLogMaxEntries = 1000;
    private List<String> restoreActions = DEFAULT_RESTORE_ACTIONS;
    private boolean permessageDeflate;
    private List<String> listeners = List.of();

    private Builder() {}

    public Builder replyDeadline(Duration v) { replyDeadline = v; return this; }
    public Builder verifyWindow(Duration v) { verifyWindow = v; return this; }
    public Builder maxFailures(int v) { maxFailures = v; return this; }
    public Builder failureWindow(Duration v) { failureWindow = v; return this; }
    public Builder stateInterval(Duration v) { stateInterval = v; return this; }
    public Builder sensorInterval(Duration v) { sensorInterval = v; return this; }
    public Builder sensorActions(List<String> v) { sensorActions = v; return this; }
    public Builder rateTolerance(double v) { rateTolerance = v; return this; }
    public Builder maxPendingPerDevice(int v) { maxPendingPerDevice = v; return this; }
    public Builder maxPendingTotal(int v) { maxPendingTotal = v; return this; }
    public Builder callerMaxBodyBytes(long v) { callerMaxBodyBytes = v; return this; }
    public Builder defaultClientId(String v) { defaultClientId = v; return this; }
    public Builder maxDevicesPerConnection(int v) { maxDevicesPerConnection = v; return this; }
    public Builder maxInboundBytes(long v) { maxInboundBytes = v; return this; }
    public Builder maxJsonDepth(long v) { maxJsonDepth = v; return this; }
    public Builder maxStringChars(long v) { maxStringChars = v; return this; }
    public Builder maxOutboundBytes(long v) { maxOutboundBytes = v; return this; }
    public Builder pingInterval(Duration v) { pingInterval = v; return this; }
    public Builder readIdleTimeout(Duration v) { readIdleTimeout = v; return this; }
    /** Tests only: lets {@code readIdleTimeout} go below the 310 s the SDKs' ping interval needs. */
    public Builder allowShortIdleForTests() { allowShortIdle = true; return this; }
    public Builder feedHeartbeat(Duration v) { feedHeartbeat = v; return this; }
    public Builder feedRetainItems(int v) { feedRetainItems = v; return this; }
    public Builder feedSubscriberQueue(int v) { feedSubscriberQueue = v; return this; }
    public Builder activityLogMaxEntries(int v) { activityLogMaxEntries = v; return this; }
    public Builder restoreActions(List<String> v) { restoreActions = v; return this; }
    public Builder permessageDeflate(boolean v) { permessageDeflate = v; return this; }
    public Builder listeners(List<String> v) { listeners = v; return this; }

    public DevicesConfig build() {
      return new DevicesConfig(this);
    }
  }
}
