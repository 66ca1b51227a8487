package io.switchboard.server.devices;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An app of the devices dialect (protocols/devices.md §1): its key, the HMAC secret its devices sign with, the
 * Caller API key, and its devices. Validates itself; device ids are kept in lower case (compared
 * case-insensitively).
 *
 * @param restoreDeviceIds devices whose last known states are restored on every connect ({@code restoreStates})
 */
public record App(String appKey, String appSecret, String apiKey, Set<String> deviceIds,
    Set<String> restoreDeviceIds) {
  static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  static final Pattern DEVICE_ID = Pattern.compile("[0-9a-fA-F]{24}");

  public App {
    if (appKey == null || !UUID.matcher(appKey).matches()) {
      throw new IllegalArgumentException("appKey: expected a UUID");
    }
    if (appSecret == null || appSecret.length() < 32) {
      throw new IllegalArgumentException("appSecret: at least 32 characters");
    }
    if (apiKey == null || apiKey.length() < 16) {
      throw new IllegalArgumentException("apiKey: at least 16 characters");
    }
    deviceIds = normalise("deviceIds", deviceIds);
    restoreDeviceIds = normalise("restoreStates", restoreDeviceIds == null ? Set.of() : restoreDeviceIds);
    for (String id : restoreDeviceIds) {
      if (!deviceIds.contains(id)) {
        throw new IllegalArgumentException("restoreStates: " + id + " is not one of the app's deviceIds");
      }
    }
  }

  private static Set<String> normalise(String field, Set<String> ids) {
    if (ids == null) {
      throw new IllegalArgumentException(field + ": required");
    }
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String id : ids) {
      if (id == null || !DEVICE_ID.matcher(id).matches()) {
        throw new IllegalArgumentException(field + ": '" + id + "' is not 24 hexadecimal characters");
      }
      out.add(id.toLowerCase(Locale.ROOT));
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  /** The HMAC key: the secret's UTF-8 bytes. */
  public byte[] secretBytes() {
    return appSecret.getBytes(StandardCharsets.UTF_8);
  }

  public boolean holds(String deviceId) {
    return deviceIds.contains(deviceId.toLowerCase(Locale.ROOT));
  }

  /** Never prints the secrets. */
  @Override
  public String toString() {
    return "App[" + appKey + ", " + deviceIds.size() + " devices]";
  }
}
