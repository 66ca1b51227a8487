package io.switchboard.server.devices;

import io.switchboard.core.identity.IdentityRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Lock-free lookups over the registered apps: by app key (upgrades), by API key (Caller API) and by device id.
 * Rebuilt as an immutable snapshot whenever the registry changes, so hot paths only read a volatile field.
 *
 * <p>API keys are looked up by their SHA-256 digest: the map's probing then depends only on the digest of what
 * the caller sent, which reveals nothing about stored keys (the "constant-time" property a byte-wise compare would
 * need, without a scan over every app).
 */
final class AppDirectory {
  private record Snapshot(Map<String, App> byAppKey, Map<String, App> byApiKeyDigest, Map<String, App> byDevice) {}

  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of());

  AppDirectory(IdentityRegistry<App> registry) {
    registry.onChange(c -> rebuild(registry));
    rebuild(registry);
  }

  private synchronized void rebuild(IdentityRegistry<App> registry) {
    Map<String, App> byKey = new HashMap<>();
    Map<String, App> byApi = new HashMap<>();
    Map<String, App> byDevice = new HashMap<>();
    for (App app : registry.all()) {
      byKey.put(app.appKey().toLowerCase(Locale.ROOT), app);
      byApi.put(digest(app.apiKey()), app);
      for (String d : app.deviceIds()) {
        byDevice.putIfAbsent(d, app);
      }
    }
    snapshot = new Snapshot(Map.copyOf(byKey), Map.copyOf(byApi), Map.copyOf(byDevice));
  }

  App byAppKey(String appKey) {
    return appKey == null ? null : snapshot.byAppKey().get(appKey.trim().toLowerCase(Locale.ROOT));
  }

  App byApiKey(String apiKey) {
    return apiKey == null ? null : snapshot.byApiKeyDigest().get(digest(apiKey));
  }

  App byDevice(String deviceId) {
    return snapshot.byDevice().get(deviceId.toLowerCase(Locale.ROOT));
  }

  private static String digest(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
