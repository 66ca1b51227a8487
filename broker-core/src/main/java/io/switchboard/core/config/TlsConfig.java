package io.switchboard.core.config;

import java.nio.file.Path;

/**
 * Optional TLS on the shared listener.
 *
 * @param enabled whether the listener speaks TLS
 * @param certChain PEM certificate chain file
 * @param privateKey PEM PKCS#8 private key file
 * @param keyPassword password of the key, or {@code null}; a secret, never logged
 */
public record TlsConfig(boolean enabled, Path certChain, Path privateKey, String keyPassword) {
  public TlsConfig {
    if (enabled) {
      Checks.notNull("server.tls.certChain", certChain);
      Checks.notNull("server.tls.privateKey", privateKey);
    }
  }

  public static TlsConfig disabled() {
    return new TlsConfig(false, null, null, null);
  }

  @Override
  public String toString() {
    return "TlsConfig[enabled=" + enabled + ", certChain=" + certChain + ", privateKey=" + privateKey + "]";
  }
}
