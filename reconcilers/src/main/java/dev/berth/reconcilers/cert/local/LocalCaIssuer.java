package dev.berth.reconcilers.cert.local;

import dev.berth.reconcilers.cert.CertificateIssuer;
import dev.berth.reconcilers.cert.CertificateRequest;
import dev.berth.reconcilers.cert.DomainNames;
import dev.berth.reconcilers.cert.IssuanceException;
import dev.berth.reconcilers.cert.IssuedCertificate;
import dev.berth.reconcilers.cert.KeyMatch;
import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.cert.Pem;
import dev.berth.reconcilers.cert.SecureFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Berth's own CA, for internal names that no public CA will certify.
 *
 * <p>The CA (an ECDSA P-256 key and a self-signed certificate valid {@link #CA_VALIDITY}) is
 * created on first use in the configured directory, as {@value #CA_CERTIFICATE_FILE} and {@value
 * #CA_KEY_FILE} (0600), and reused from there by every later instance, so certificates stay trusted
 * across restarts. Operators trust {@link #caCertificateFile()} in their clients.
 *
 * <p>The certificate file is written after the key: a CA whose certificate never reached the disk
 * has signed nothing, so a lone key is replaced by a new CA, while a lone certificate (its key
 * lost) is an error that needs the operator.
 */
public final class LocalCaIssuer implements CertificateIssuer {

  /** The issuer's name, as certificate records and events write it. */
  public static final String NAME = "local-ca";

  /** How long issued certificates are valid unless configured otherwise; as public CAs do. */
  public static final Duration DEFAULT_LEAF_VALIDITY = Duration.ofDays(90);

  /** How long the CA itself is valid: long, because every client that trusts it must be told. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /** The CA's certificate in its directory, PEM: what clients are told to trust. */
  public static final String CA_CERTIFICATE_FILE = "ca.pem";

  /** The CA's private key in its directory, PEM. */
  public static final String CA_KEY_FILE = "ca-key.pem";

  private static final System.Logger LOG = System.getLogger(LocalCaIssuer.class.getName());

  private final Path directory;
  private final Duration leafValidity;
  private final Clock clock;
  private CertificateAuthority authority;

  /** A CA kept in {@code directory}, issuing certificates valid {@link #DEFAULT_LEAF_VALIDITY}. */
  public LocalCaIssuer(Path directory) {
    this(directory, DEFAULT_LEAF_VALIDITY, Clock.systemUTC());
  }

  /** A CA kept in {@code directory}, issuing certificates valid {@code leafValidity} (positive). */
  public LocalCaIssuer(Path directory, Duration leafValidity) {
    this(directory, leafValidity, Clock.systemUTC());
  }

  /** As above, reading the time from {@code clock}. */
  public LocalCaIssuer(Path directory, Duration leafValidity, Clock clock) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.leafValidity = Objects.requireNonNull(leafValidity, "leafValidity");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (leafValidity.isNegative() || leafValidity.isZero()) {
      throw new IllegalArgumentException("leafValidity must be positive, is " + leafValidity);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A certificate for the request's names (wildcards allowed), signed by the CA. The chain is the
   * leaf and the CA certificate.
   *
   * @throws IssuanceException if a name is not a hostname (not retryable), or the CA cannot be
   *     created or read (retryable: an operator may repair the directory)
   */
  @Override
  public IssuedCertificate issue(CertificateRequest request) {
    List<String> names = new ArrayList<>();
    for (String domain : request.domains()) {
      try {
        names.add(DomainNames.requireValid(domain));
      } catch (IllegalArgumentException e) {
        throw new IssuanceException(
            NAME + ": cannot issue for " + request.name() + ": " + e.getMessage(), false, e);
      }
    }
    CertificateAuthority ca = authority();
    Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant caExpiry = ca.certificate().getNotAfter().toInstant();
    if (!notBefore.isBefore(caExpiry)) {
      throw new IssuanceException(
          NAME
              + ": the CA in "
              + caCertificateFile()
              + " expired at "
              + caExpiry
              + "; move "
              + directory
              + " aside to create a new one, and trust that",
          false);
    }
    // A leaf never outlives its CA: clients would reject it from then on anyway.
    Instant notAfter = notBefore.plus(leafValidity);
    if (notAfter.isAfter(caExpiry)) {
      notAfter = caExpiry;
    }
    KeyPair leafKey = KeyType.EC_P256.generate();
    X509Certificate leaf = ca.sign(leafKey.getPublic(), names, notBefore, notAfter);
    LOG.log(Level.INFO, "local CA issued a certificate for {0} valid until {1}", names, notAfter);
    return new IssuedCertificate(List.of(leaf, ca.certificate()), leafKey.getPrivate());
  }

  /** The CA's certificate, creating the CA if this is its first use. */
  public X509Certificate caCertificate() {
    return authority().certificate();
  }

  /** The CA's certificate as PEM, for operators to add to their clients' trust stores. */
  public String caCertificatePem() {
    return Pem.encodeCertificates(List.of(caCertificate()));
  }

  /** Where the CA's certificate is (once it exists; see {@link #caCertificate()}). */
  public Path caCertificateFile() {
    return directory.resolve(CA_CERTIFICATE_FILE);
  }

  private synchronized CertificateAuthority authority() {
    if (authority == null) {
      try {
        authority = Files.exists(caCertificateFile()) ? load() : create();
      } catch (IOException e) {
        throw new IssuanceException(
            NAME + ": cannot set up the CA in " + directory + ": " + e, true, e);
      }
    }
    return authority;
  }

  private CertificateAuthority load() throws IOException {
    Path certificateFile = caCertificateFile();
    Path keyFile = directory.resolve(CA_KEY_FILE);
    if (!Files.exists(keyFile)) {
      throw new IssuanceException(
          NAME
              + ": "
              + certificateFile
              + " exists but its key "
              + keyFile
              + " does not; restore"
              + " the key, or move "
              + directory
              + " aside to create a new CA (and trust that)",
          true);
    }
    X509Certificate certificate;
    PrivateKey key;
    try {
      certificate =
          Pem.decodeCertificates(Files.readString(certificateFile, StandardCharsets.US_ASCII))
              .get(0);
    } catch (IllegalArgumentException e) {
      throw new IssuanceException(
          NAME + ": " + certificateFile + " is damaged: " + e.getMessage(), true, e);
    }
    try {
      key = Pem.decodePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IssuanceException(
          NAME + ": " + keyFile + " is damaged: " + e.getMessage(), true, e);
    }
    if (!KeyMatch.belongTogether(key, certificate.getPublicKey())) {
      throw new IssuanceException(
          NAME + ": " + keyFile + " is not the key of the CA certificate " + certificateFile, true);
    }
    return new CertificateAuthority(certificate, key);
  }

  private CertificateAuthority create() throws IOException {
    SecureFiles.createPrivateDirectories(directory);
    Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // A short random id tells apart the CAs of different nodes in a client's trust store.
    byte[] id = new byte[4];
    new SecureRandom().nextBytes(id);
    CertificateAuthority created =
        CertificateAuthority.create(
            KeyType.EC_P256.generate(),
            "Berth local CA " + HexFormat.of().formatHex(id),
            notBefore,
            notBefore.plus(CA_VALIDITY));
    SecureFiles.writeAtomically(
        directory.resolve(CA_KEY_FILE),
        Pem.encodePrivateKey(created.privateKey()).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.PRIVATE_FILE);
    SecureFiles.writeAtomically(
        caCertificateFile(),
        Pem.encodeCertificates(List.of(created.certificate())).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.PUBLIC_FILE);
    LOG.log(
        Level.INFO,
        "created the local CA {0} in {1}",
        created.certificate().getSubjectX500Principal(),
        directory);
    return created;
  }
}
