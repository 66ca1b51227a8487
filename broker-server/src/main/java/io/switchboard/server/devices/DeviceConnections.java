package io.switchboard.server.devices;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connection holds each device. A new connection takes its devices from any older one, which is closed with
 * 4009 (devices.md §2.3): the newest connection always wins, since a device that reconnects after a network change
 * must not wait for its stale socket to time out.
 */
final class DeviceConnections {
  private final DevicesService svc;
  private final Map<String, DeviceConnection> byDevice = new ConcurrentHashMap<>();

  DeviceConnections(DevicesService svc) {
    this.svc = svc;
  }

  DeviceConnection holder(String deviceId) {
    return byDevice.get(deviceId);
  }

  Collection<DeviceConnection> all() {
    return new LinkedHashSet<>(byDevice.values());
  }

  void register(DeviceConnection c) {
    Set<DeviceConnection> replaced = new LinkedHashSet<>();
    for (String d : c.deviceIds()) {
      DeviceConnection old = byDevice.put(d, c);
      if (old != null && old != c) {
        replaced.add(old);
      }
    }
    for (DeviceConnection old : replaced) {
      svc.replaced.increment();
      svc.activity.add(old.app().appKey(), "connection_replaced", "replaced", null, old.remote(), old.platform,
          "replaced by a newer connection from " + c.remote());
      old.closeReplaced();
    }
  }

  /** The connection closed: its devices that no newer connection took go offline. */
  void unregister(DeviceConnection c, String reason) {
    for (String d : c.deviceIds()) {
      if (byDevice.remove(d, c)) {
        svc.feedOffline(c.app(), d, reason);
      }
    }
    svc.requests.connectionClosed(c);
    svc.lastSeen(c);
  }
}
