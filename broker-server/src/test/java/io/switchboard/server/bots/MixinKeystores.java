package io.switchboard.server.bots;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Fresh bot identities for the Mixin SDK interop test: an Ed25519 session key pair made with the JDK, given to the
 * SDK as its keystore and to the broker as a bot record (bots.md §1).
 *
 * <p>The SDK's keystore ({@code @mixin.dev/mixin-node-sdk} 7.5.5, {@code signAccessToken}) is
 * {@code {"app_id","session_id","session_private_key","server_public_key"}}: {@code app_id} a UUID (the bot's uid),
 * {@code session_id} a UUID, and {@code session_private_key} the 32-byte Ed25519 <em>seed</em> as hex (it refuses
 * any other length and signs with {@code ed25519.sign(msg, seed)}). {@code server_public_key} is only read for PIN
 * encryption, so it stays empty.
 */
final class MixinKeystores {
  private MixinKeystores() {}

  /** A bot: its ids, its private seed and its public key, both raw 32 bytes in lower-case hex. */
  record MixinBot(String uid, String sessionId, String seedHex, String publicKeyHex) {
    /** The keystore JSON the SDK takes. */
    String keystoreJson() {
      return "{\"app_id\":\"" + uid + "\",\"session_id\":\"" + sessionId + "\",\"session_private_key\":\"" + seedHex
          + "\",\"server_public_key\":\"\"}";
    }

    /** The broker's bot record (bots.md §1). */
    String recordJson() {
      return "{\"uid\":\"" + uid + "\",\"sessionId\":\"" + sessionId + "\",\"sessionPublicKey\":\"" + publicKeyHex
          + "\"}";
    }
  }

  /** A new bot with random ids and a new Ed25519 key pair. */
  static MixinBot newBot() {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      // PKCS#8 of Ed25519 (RFC 8410) is a 16-byte prefix and the 32-byte seed; X.509 is a 12-byte prefix and the key.
      byte[] pkcs8 = kp.getPrivate().getEncoded();
      byte[] x509 = kp.getPublic().getEncoded();
      if (pkcs8.length != 48 || x509.length != 44) {
        throw new IllegalStateException("unexpected Ed25519 encodings: " + pkcs8.length + "/" + x509.length);
      }
      HexFormat hex = HexFormat.of();
      return new MixinBot(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
          hex.formatHex(Arrays.copyOfRange(pkcs8, 16, 48)), hex.formatHex(Arrays.copyOfRange(x509, 12, 44)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
