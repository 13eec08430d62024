package dev.berth.reconcilers.cert;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** The kinds of key Berth generates for certificates and accounts. */
public enum KeyType {
  /** ECDSA on NIST P-256: small, fast, accepted by every current client. The default. */
  EC_P256("EC", new ECGenParameterSpec("secp256r1")),
  /** ECDSA on NIST P-384. */
  EC_P384("EC", new ECGenParameterSpec("secp384r1")),
  /** For old clients that cannot do ECDSA. */
  RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)),
  /** RSA with a 4096-bit modulus. */
  RSA_4096("RSA", new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4));

  private final String algorithm;
  private final AlgorithmParameterSpec parameters;

  KeyType(String algorithm, AlgorithmParameterSpec parameters) {
    this.algorithm = algorithm;
    this.parameters = parameters;
  }

  /** A fresh key pair of this type. */
  public KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(parameters);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      // Every JDK 17 ships these algorithms; their absence is a broken runtime, not a condition.
      throw new IllegalStateException("this JVM cannot generate " + this + " keys", e);
    }
  }

  /** The JCA signature algorithm that signs with such a key. */
  public String signatureAlgorithm() {
    return algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
  }
}
