package io.switchboard.codec.auth.jwt;

import io.netty.util.concurrent.FastThreadLocal;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A bot's optional RSA public key (bots.md §1 {@code rsaPublicKey}), for the RS512 tokens of Go clients from before
 * December 2023, used only when {@code bots.auth.allowRs512} is on. Legacy and rare, so plain JCA: a
 * {@code SHA512withRSA} {@link Signature} per thread, re-initialised with the key on each use (cheap for RSA).
 */
public final class Rs512PublicKey {
  private static final String ALGORITHM = "SHA512withRSA";
  private static final FastThreadLocal<Signature> SIGNATURE = new FastThreadLocal<>() {
    @Override
    protected Signature initialValue() throws GeneralSecurityException {
      return Signature.getInstance(ALGORITHM);
    }
  };

  private final RSAPublicKey key;

  private Rs512PublicKey(RSAPublicKey key) {
    this.key = key;
  }

  public static Rs512PublicKey of(RSAPublicKey key) {
    if (key == null) {
      throw new IllegalArgumentException("no RSA key");
    }
    return new Rs512PublicKey(key);
  }

  /**
   * The key from PEM: {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) or {@code RSA PUBLIC KEY} (PKCS#1, what the
   * Go client's PKCS#1 tooling writes).
   *
   * @throws IllegalArgumentException when it is neither, or not an RSA key
   */
  public static Rs512PublicKey parsePem(String pem) {
    boolean pkcs1 = pem != null && pem.contains("-----BEGIN RSA PUBLIC KEY-----");
    boolean spki = pem != null && pem.contains("-----BEGIN PUBLIC KEY-----");
    if (!pkcs1 && !spki) {
      throw new IllegalArgumentException("rsaPublicKey is not a PEM public key");
    }
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(body);
      if (pkcs1) {
        der = spkiOfPkcs1(der);
      }
      if (!(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)) instanceof RSAPublicKey rsa)) {
        throw new IllegalArgumentException("rsaPublicKey is not an RSA key");
      }
      return new Rs512PublicKey(rsa);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("rsaPublicKey is not a valid RSA public key", e);
    }
  }

  /** Whether {@code signature} is RSASSA-PKCS1-v1_5 with SHA-512 of {@code message} under this key. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != (key.getModulus().bitLength() + 7) / 8) {
      return false;
    }
    Signature s = SIGNATURE.get();
    try {
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public RSAPublicKey key() {
    return key;
  }

  public BigInteger modulus() {
    return key.getModulus();
  }

  /** Wraps a PKCS#1 RSAPublicKey in SubjectPublicKeyInfo: {@code SEQ { SEQ { rsaEncryption, NULL }, BIT STRING }}. */
  private static byte[] spkiOfPkcs1(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
        0x01, 0x05, 0x00};
    byte[] bitString = der(0x03, concat(new byte[] {0}, pkcs1));
    return der(0x30, concat(algorithm, bitString));
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] length = n < 0x80 ? new byte[] {(byte) n}
        : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
        : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
        : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    return concat(new byte[] {(byte) tag}, concat(length, content));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
