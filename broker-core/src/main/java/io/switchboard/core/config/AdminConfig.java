package io.switchboard.core.config;

/**
 * The admin API under {@code /admin/v1/}.
 *
 * @param token bearer token; {@code null} disables the admin API (every admin path answers 404). A secret: never
 *     logged, and also settable through {@code SWITCHBOARD_ADMIN_TOKEN}.
 */
public record AdminConfig(String token) {
  public AdminConfig {
    if (token != null && token.length() < 16) {
      throw new ConfigException("admin.token", "too short (expected: at least 16 characters)");
    }
  }

  public static AdminConfig disabled() {
    return new AdminConfig(null);
  }

  public boolean enabled() {
    return token != null;
  }

  @Override
  public String toString() {
    return "AdminConfig[token=" + (token == null ? "unset" : "<redacted>") + "]";
  }
}
