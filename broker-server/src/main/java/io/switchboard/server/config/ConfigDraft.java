package io.switchboard.server.config;

import io.switchboard.core.config.AdminConfig;
import io.switchboard.core.config.BotsConfig;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.DevicesConfig;
import io.switchboard.core.config.LogConfig;
import io.switchboard.core.config.RoomsConfig;
import io.switchboard.core.config.WidgetsConfig;
import io.switchboard.core.config.ServerLimits;
import io.switchboard.core.config.TlsConfig;
import java.nio.file.Path;

/**
 * The configuration being loaded: a {@link BrokerConfig.Builder} plus, field by field, the small records that have
 * no builder (limits, TLS, admin, log).
 *
 * <p>Those records validate in their constructors, including cross-field rules such as
 * {@code maxMessageBytes >= maxFramePayloadBytes} or "TLS enabled needs a certificate". Building them only in
 * {@link #build()} lets those rules see the final values, whatever order the file, the environment and the flags
 * set them in. Fields start at the records' defaults.
 */
public final class ConfigDraft {
  private final BrokerConfig.Builder broker = BrokerConfig.builder();
  private final DevicesConfig.Builder devices = DevicesConfig.builder();
  private final BotsConfig.Builder bots = BotsConfig.builder();
  private final RoomsConfig.Builder rooms = RoomsConfig.builder();
  private final WidgetsConfig.Builder widgets = WidgetsConfig.builder();

  int maxInitialLineBytes;
  int maxHeaderBytes;
  int maxHttpBodyBytes;
  int maxFramePayloadBytes;
  int maxMessageBytes;

  boolean tlsEnabled;
  Path tlsCertChain;
  Path tlsPrivateKey;
  String tlsKeyPassword;

  String adminToken;

  String logFormat;
  String logLevel;

  ConfigDraft() {
    ServerLimits limits = ServerLimits.defaults();
    maxInitialLineBytes = limits.maxInitialLineBytes();
    maxHeaderBytes = limits.maxHeaderBytes();
    maxHttpBodyBytes = limits.maxHttpBodyBytes();
    maxFramePayloadBytes = limits.maxFramePayloadBytes();
    maxMessageBytes = limits.maxMessageBytes();

    TlsConfig tls = TlsConfig.disabled();
    tlsEnabled = tls.enabled();
    tlsCertChain = tls.certChain();
    tlsPrivateKey = tls.privateKey();
    tlsKeyPassword = tls.keyPassword();

    adminToken = AdminConfig.disabled().token();

    LogConfig log = LogConfig.defaults();
    logFormat = log.format();
    logLevel = log.level();
  }

  /** The builder for everything that has one (server and store fields). */
  BrokerConfig.Builder broker() {
    return broker;
  }

  /** The devices dialect's settings. */
  DevicesConfig.Builder devices() {
    return devices;
  }

  /** The bots dialect's settings. */
  BotsConfig.Builder bots() {
    return bots;
  }

  /** The rooms dialect's settings. */
  RoomsConfig.Builder rooms() {
    return rooms;
  }

  /** The widgets dialect's settings. */
  WidgetsConfig.Builder widgets() {
    return widgets;
  }

  /** Builds and validates the whole configuration; the first bad value throws a ConfigException naming its key. */
  BrokerConfig build() {
    broker.server()
        .limits(new ServerLimits(
            maxInitialLineBytes, maxHeaderBytes, maxHttpBodyBytes, maxFramePayloadBytes, maxMessageBytes))
        .tls(new TlsConfig(tlsEnabled, tlsCertChain, tlsPrivateKey, tlsKeyPassword));
    return broker
        .admin(new AdminConfig(adminToken))
        .log(new LogConfig(logFormat, logLevel))
        .devices(devices.build())
        .bots(bots.build())
        .rooms(rooms.build())
        .widgets(widgets.build())
        .build();
  }
}
