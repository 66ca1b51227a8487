package io.switchboard.server.devices;

import io.switchboard.codec.json.JsonLimits;
import io.switchboard.codec.json.JsonPaths;
import io.switchboard.core.config.DevicesConfig;

/** The fields of a device message the broker reads (devices.md §3.2, §4.2), as scanner slots. */
final class DeviceFrame {
  /**
   * One scan result per event-loop thread, not per connection: a frame is scanned and its fields read within one
   * {@code channelRead}, so connections on a loop can share it, and 10,000 idle devices do not each keep ~2 KB of
   * result arrays (measured with {@code scripts/bench idle}).
   */
  private final io.netty.util.concurrent.FastThreadLocal<io.switchboard.codec.json.ScanResult> results =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected io.switchboard.codec.json.ScanResult initialValue() {
          return paths.newResult();
        }
      };

  /** This thread's scan result (overwritten by the next scan on the thread). */
  io.switchboard.codec.json.ScanResult threadResult() {
    return results.get();
  }

  final JsonPaths paths;
  final int header;
  final int payload;
  final int signature;
  final int payloadVersion;
  final int signatureVersion;
  final int hmac;
  final int type;
  final int action;
  final int deviceId;
  final int replyToken;
  final int createdAt;
  final int instanceId;
  final int scope;
  final int success;
  final int message;
  final int clientId;
  final int value;
  final int causeType;

  DeviceFrame() {
    paths = JsonPaths.builder()
        .field("header").field("signature").lastMember("payload")
        .field("header.payloadVersion").field("header.signatureVersion")
        .text("signature.HMAC", 64)
        .text("payload.type", 32).text("payload.action", 128).text("payload.deviceId", 64)
        .text("payload.replyToken", 128).field("payload.createdAt").text("payload.instanceId", 128)
        .text("payload.scope", 32).field("payload.success").text("payload.message", 1024)
        .text("payload.clientId", 128).field("payload.value").text("payload.cause.type", 64)
        .build();
    header = paths.slot("header");
    payload = paths.slot("payload");
    signature = paths.slot("signature");
    payloadVersion = paths.slot("header.payloadVersion");
    signatureVersion = paths.slot("header.signatureVersion");
    hmac = paths.slot("signature.HMAC");
    type = paths.slot("payload.type");
    action = paths.slot("payload.action");
    deviceId = paths.slot("payload.deviceId");
    replyToken = paths.slot("payload.replyToken");
    createdAt = paths.slot("payload.createdAt");
    instanceId = paths.slot("payload.instanceId");
    scope = paths.slot("payload.scope");
    success = paths.slot("payload.success");
    message = paths.slot("payload.message");
    clientId = paths.slot("payload.clientId");
    value = paths.slot("payload.value");
    causeType = paths.slot("payload.cause.type");
  }

  static JsonLimits limits(DevicesConfig c) {
    return new JsonLimits(c.maxJsonDepth(), c.maxStringChars(), 64, 256);
  }
}
