package io.switchboard.bench.harness.devices;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The app every device belongs to (the example identity of devices.md §1), its device ids, the generated
 * switchboard config that declares them, and the device-side signing: the payload text is HMAC'd with the app
 * secret and embedded unchanged, as a device SDK does.
 */
public final class DeviceFixture {
  public static final String APP_KEY = "de0b1234-1a3b-4c3d-a2e4-5dab12345678";
  public static final String SECRET = "5f361234-a3b7-4c3d-9e0e-e86724a91234-4c4a1234-3a3b-45de-a9b3-333d65123456";
  public static final String API_KEY = "bench-api-key-0123456789abcdef";

  private DeviceFixture() {}

  /** Device {@code i}'s id: 24 hex characters. */
  public static String deviceId(int i) {
    return String.format(Locale.ROOT, "%024x", 0x5dc1564130L * 1_000_000L + i);
  }

  /** The app with {@code n} devices, and limits opened up so the load measures the path, not the guards. */
  public static String switchboardConfig(int n) {
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < n; i++) {
      ids.append(i == 0 ? "" : ", ").append(deviceId(i));
    }
    return "devices:\n"
        + "  rateLimit:\n    stateInterval: 1us\n    sensorInterval: 1us\n"
        + "  caller:\n    maxPendingPerDevice: 100000\n"
        + "  verify:\n    maxFailures: 1000000\n"
        + "  feed:\n    subscriberQueue: 100000\n"
        + "identities:\n  apps:\n    - appKey: " + APP_KEY + "\n      appSecret: " + SECRET + "\n"
        + "      apiKey: " + API_KEY + "\n      deviceIds: [" + ids + "]\n";
  }

  /** A JCA HMAC-SHA256 keyed with the app secret; one per connection (a Mac is not thread-safe). */
  public static Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The signed message around {@code payload} (devices.md §4.3 rule 1). */
  public static String signed(Mac mac, String payload) {
    String hmac = Base64.getEncoder().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    return "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},\"payload\":" + payload
        + ",\"signature\":{\"HMAC\":\"" + hmac + "\"}}";
  }
}
