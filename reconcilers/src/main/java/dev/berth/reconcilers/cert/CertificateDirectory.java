package dev.berth.reconcilers.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Certificates as PEM files on disk, where web servers read them: {@code
 * <root>/<name>/fullchain.pem} (the leaf, then the intermediates) and {@code
 * <root>/<name>/privkey.pem}.
 *
 * <p>Each file is replaced in one step (see {@link SecureFiles}); the key is written first, so a
 * crash between the two renames leaves a new key beside the old certificate. {@link #read} notices
 * such a pair (the key does not belong to the certificate) and reports it as damaged, and the
 * caller issues again. Keys are 0600 and directories 0700 from the moment they exist.
 *
 * <p>The name is a hostname, possibly a wildcard; {@code *.example.net} is stored under {@code
 * _wildcard.example.net}. Anything else (path separators, {@code ..}) is refused.
 */
public final class CertificateDirectory {

  /** The file holding the leaf certificate, then the intermediates. */
  public static final String FULL_CHAIN = "fullchain.pem";

  /** The file holding the leaf's private key (mode 0600). */
  public static final String PRIVATE_KEY = "privkey.pem";

  private final Path root;

  /** Certificates kept under {@code root}, one directory per name. */
  public CertificateDirectory(Path root) {
    this.root = root;
  }

  /** Where a certificate's two files are, or would be. */
  public record Stored(Path fullChain, Path privateKey) {}

  /** The paths a certificate for this name has, whether it is stored or not. */
  public Stored locate(String name) {
    Path directory = directoryOf(name);
    return new Stored(directory.resolve(FULL_CHAIN), directory.resolve(PRIVATE_KEY));
  }

  /**
   * Stores the certificate under the name, replacing what was there.
   *
   * @throws IllegalArgumentException if the name is not a hostname
   */
  public Stored write(String name, IssuedCertificate certificate) throws IOException {
    Stored stored = locate(name);
    SecureFiles.createPrivateDirectories(stored.fullChain().getParent());
    SecureFiles.writeAtomically(
        stored.privateKey(),
        Pem.encodePrivateKey(certificate.privateKey()).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.PRIVATE_FILE);
    SecureFiles.writeAtomically(
        stored.fullChain(),
        Pem.encodeCertificates(certificate.chain()).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.PUBLIC_FILE);
    return stored;
  }

  /**
   * The certificate stored under the name, or empty if there is none.
   *
   * @throws DamagedCertificateException if either file is there but unusable, or only one of them
   *     is there
   */
  public Optional<IssuedCertificate> read(String name) throws IOException {
    Stored stored = locate(name);
    Optional<String> chainText = readIfPresent(stored.fullChain());
    Optional<String> keyText = readIfPresent(stored.privateKey());
    if (chainText.isEmpty() && keyText.isEmpty()) {
      return Optional.empty();
    }
    if (chainText.isEmpty()) {
      throw new DamagedCertificateException(
          stored.fullChain(),
          "it is missing while its key " + stored.privateKey() + " exists",
          null);
    }
    if (keyText.isEmpty()) {
      throw new DamagedCertificateException(
          stored.privateKey(),
          "it is missing while its chain " + stored.fullChain() + " exists",
          null);
    }
    List<X509Certificate> chain;
    try {
      chain = Pem.decodeCertificates(chainText.get());
    } catch (IllegalArgumentException e) {
      throw new DamagedCertificateException(stored.fullChain(), e.getMessage(), e);
    }
    PrivateKey key;
    try {
      key = Pem.decodePrivateKey(keyText.get());
    } catch (IllegalArgumentException e) {
      throw new DamagedCertificateException(stored.privateKey(), e.getMessage(), e);
    }
    if (!KeyMatch.belongTogether(key, chain.get(0).getPublicKey())) {
      throw new DamagedCertificateException(
          stored.privateKey(),
          "it is not the key of the certificate in "
              + stored.fullChain()
              + " (an interrupted write?)",
          null);
    }
    return Optional.of(new IssuedCertificate(chain, key));
  }

  /** Removes the certificate stored under the name, if any. */
  public void delete(String name) throws IOException {
    Path directory = directoryOf(name);
    if (!Files.isDirectory(directory)) {
      return;
    }
    // Leftover temporary files of an interrupted write go too.
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(directory);
  }

  private Path directoryOf(String name) {
    return root.resolve(DomainNames.directoryName(name));
  }

  private static Optional<String> readIfPresent(Path file) throws IOException {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
