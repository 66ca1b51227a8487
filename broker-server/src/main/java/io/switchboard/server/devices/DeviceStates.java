package io.switchboard.server.devices;

import io.switchboard.core.store.Keys;
import io.switchboard.core.store.Store;
import io.switchboard.core.store.WriteBatch;
import io.switchboard.server.http.Json;
import io.switchboard.server.http.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Last known state per (deviceId, action, instanceId), persisted in the store (devices.md §5.3, §5.4, §5.8):
 * {@code dev/state/<deviceId>/<action>/<instanceId>} → {@code {"action",["instanceId",]"value","source","updatedAt"}}.
 * Kept until the device is removed from its app.
 */
final class DeviceStates {
  private final Store store;

  DeviceStates(Store store) {
    this.store = store;
  }

  /** One stored entry: its JSON and the raw value JSON, for restore. */
  record Entry(String action, String instanceId, String valueJson, String json, Instant updatedAt) {}

  private static byte[] prefix(String deviceId) {
    return Keys.of("dev", "state", deviceId, "");
  }

  /** Adds the state write to {@code batch}. {@code valueJson} is the device's value object, verbatim. */
  static void put(WriteBatch batch, String deviceId, String action, String instanceId, String valueJson,
      String source, Instant at) {
    StringBuilder sb = new StringBuilder("{\"action\":").append(Json.quote(action));
    if (instanceId != null) {
      sb.append(",\"instanceId\":").append(Json.quote(instanceId));
    }
    sb.append(",\"value\":").append(valueJson).append(",\"source\":").append(Json.quote(source))
        .append(",\"updatedAt\":").append(Json.quote(Timestamps.iso(at))).append('}');
    batch.putPlain(Keys.of("dev", "state", deviceId, action, instanceId == null ? "" : instanceId),
        sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The device's entries, oldest update first, read on {@code blocking}: a prefix scan, which may touch disk, so
   * never on an event loop.
   */
  CompletableFuture<List<Entry>> allAsync(String deviceId, Executor blocking) {
    return CompletableFuture.supplyAsync(() -> all(deviceId), blocking);
  }

  /**
   * The device's entries, oldest update first. A small prefix read (a handful of actions per device), but it may
   * touch disk: call it off event loops ({@link #allAsync}).
   */
  List<Entry> all(String deviceId) {
    List<Entry> out = new ArrayList<>();
    store.scanPrefix(prefix(deviceId), false, (key, value) -> {
      String json = new String(value, StandardCharsets.UTF_8);
      out.add(parse(json));
      return true;
    });
    out.sort(java.util.Comparator.comparing(Entry::updatedAt));
    return out;
  }

  private static Entry parse(String json) {
    try (com.fasterxml.jackson.core.JsonParser p = Json.FACTORY.createParser(json)) {
      String action = null;
      String instanceId = null;
      String value = null;
      Instant updated = Instant.EPOCH;
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "action" -> action = p.getText();
          case "instanceId" -> instanceId = p.getText();
          case "updatedAt" -> updated = Instant.parse(p.getText());
          case "value" -> {
            int start = (int) p.currentTokenLocation().getCharOffset();
            p.skipChildren();
            int end = (int) p.currentLocation().getCharOffset();
            value = json.substring(start, end);
          }
          default -> p.skipChildren();
        }
      }
      return new Entry(action, instanceId, value, json, updated);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("corrupt device state entry: " + json, e);
    }
  }
}
