package dev.berth.reconcilers.cert;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/** Tells whether a private key belongs to a public key (a certificate's), by signing a probe. */
public final class KeyMatch {

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyMatch() {}

  /**
   * Whether a signature made with the private key verifies with the public key. Key types Berth
   * does not use (anything but EC, RSA and EdDSA) cannot be checked here and are given the benefit
   * of the doubt.
   */
  public static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (privateKey.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> "";
        };
    if (algorithm.isEmpty()) {
      return true;
    }
    try {
      byte[] probe = new byte[32];
      RANDOM.nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
