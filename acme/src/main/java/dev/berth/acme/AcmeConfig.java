package dev.berth.acme;

import dev.berth.reconcilers.cert.KeyType;
import dev.berth.spec.validation.Rules;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach an ACME CA and who to be there. Build with {@link #builder}; absent optional values
 * are {@code null}.
 *
 * <p>Using an issuer with this config agrees to the CA's terms of service on the operator's behalf:
 * choosing the CA is that agreement.
 *
 * @param directory the CA's directory URL ({@code https://acme-v02.api.letsencrypt.org/directory})
 *     or an acme4j {@code acme://} URI ({@link #directory(String)})
 * @param contactEmail where the CA sends expiry and policy mail ({@link #contactEmail(String)});
 *     {@code null} (the default) for none
 * @param accountKeyFile the account's key (PEM), created on first use with mode 0600 and reused:
 *     the key is the account
 * @param externalAccountBinding for CAs that require one (ZeroSSL, Google, private CAs); {@code
 *     null} (the default) for none
 * @param extraTrust a PEM file of CA certificates to trust for the ACME server's TLS, in addition
 *     to the JVM's (a private CA, pebble's test CA); {@code null} (the default) for the JVM's only.
 *     Needs an {@code https} directory URL ({@link #extraTrust(URI)}).
 * @param keyType the key of the certificates issued; default {@link #DEFAULT_KEY_TYPE}
 * @param challengeTimeout how long one domain's http-01 validation may take; default {@link
 *     #DEFAULT_CHALLENGE_TIMEOUT}
 * @param orderTimeout how long a whole issuance may take, all its waits together; default {@link
 *     #DEFAULT_ORDER_TIMEOUT}
 */
public record AcmeConfig(
    URI directory,
    String contactEmail,
    Path accountKeyFile,
    ExternalAccountBinding externalAccountBinding,
    Path extraTrust,
    KeyType keyType,
    Duration challengeTimeout,
    Duration orderTimeout) {

  /**
   * Long enough for a CA under load and its several validation vantage points, short enough that a
   * validator that cannot reach the node fails the issuance soon.
   */
  public static final Duration DEFAULT_CHALLENGE_TIMEOUT = Duration.ofMinutes(2);

  /** Bounds everything one issuance waits for: challenges for a few names and the CA's signing. */
  public static final Duration DEFAULT_ORDER_TIMEOUT = Duration.ofMinutes(5);

  /** ECDSA P-256: see {@link KeyType#EC_P256}. */
  public static final KeyType DEFAULT_KEY_TYPE = KeyType.EC_P256;

  private static final List<String> SCHEMES = List.of("https", "http", "acme");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  public AcmeConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(accountKeyFile, "accountKeyFile");
    Objects.requireNonNull(keyType, "keyType");
    requirePositive(challengeTimeout, "challengeTimeout");
    requirePositive(orderTimeout, "orderTimeout");
    Rules.require("directory", directory(directory.toString()));
    Rules.require("contactEmail", contactEmail == null ? null : contactEmail(contactEmail));
    Rules.require("extraTrust", extraTrust == null ? null : extraTrust(directory));
  }

  /**
   * The rule of {@code directory}: an {@code https} or {@code http} URL with a host, or an acme4j
   * {@code acme://} URI.
   */
  public static String directory(String text) {
    try {
      URI uri = new URI(text);
      boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (SCHEMES.contains(uri.getScheme()) && (!web || uri.getHost() != null)) {
        return null;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    return "must be the CA's directory URL such as"
        + " \"https://acme-v02.api.letsencrypt.org/directory\", was "
        + Rules.quote(text);
  }

  /** The rule of {@code contactEmail}: an address the CA can write to. */
  public static String contactEmail(String text) {
    return EMAIL.matcher(text).matches()
        ? null
        : "must be an email address such as ops@example.com, was " + Rules.quote(text);
  }

  /**
   * The rule of {@code extraTrust}, which depends on the directory: trust for the ACME server's TLS
   * needs a server that speaks TLS.
   */
  public static String extraTrust(URI directory) {
    return "https".equals(directory.getScheme())
        ? null
        : "needs an https directory URL (it adds trust for the ACME server's TLS)";
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, is " + duration);
    }
  }

  public static Builder builder(URI directory, Path accountKeyFile) {
    return new Builder(directory, accountKeyFile);
  }

  /**
   * The credentials a CA hands out to bind a new ACME account to an account of its own.
   *
   * @param keyIdentifier the key identifier ("EAB KID")
   * @param hmacKey the HMAC key, base64url-encoded ("EAB HMAC key")
   */
  public record ExternalAccountBinding(String keyIdentifier, String hmacKey) {

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+=*");

    public ExternalAccountBinding {
      if (keyIdentifier == null || keyIdentifier.isEmpty()) {
        throw new IllegalArgumentException(
            "externalAccountBinding.keyIdentifier must not be empty");
      }
      Objects.requireNonNull(hmacKey, "externalAccountBinding.hmacKey");
      Rules.require("externalAccountBinding.hmacKey", hmacKey(hmacKey));
    }

    /** The rule of {@code hmacKey}: base64url, as the CA hands it out, and nothing else. */
    public static String hmacKey(String key) {
      return BASE64URL.matcher(key).matches() && decodes(key)
          ? null
          : "must be base64url, as the CA hands it out";
    }

    private static boolean decodes(String key) {
      try {
        Base64.getUrlDecoder().decode(key);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    /** Leaves the HMAC key out: it is a secret, and this string ends up in logs. */
    @Override
    public String toString() {
      return "ExternalAccountBinding[keyIdentifier=" + keyIdentifier + ", hmacKey=(secret)]";
    }
  }

  /** Builds an {@link AcmeConfig}; every setting not given has its documented default. */
  public static final class Builder {
    private final URI directory;
    private final Path accountKeyFile;
    private String contactEmail;
    private ExternalAccountBinding externalAccountBinding;
    private Path extraTrust;
    private KeyType keyType = DEFAULT_KEY_TYPE;
    private Duration challengeTimeout = DEFAULT_CHALLENGE_TIMEOUT;
    private Duration orderTimeout = DEFAULT_ORDER_TIMEOUT;

    private Builder(URI directory, Path accountKeyFile) {
      this.directory = directory;
      this.accountKeyFile = accountKeyFile;
    }

    public Builder contactEmail(String email) {
      this.contactEmail = email;
      return this;
    }

    public Builder externalAccountBinding(String keyIdentifier, String hmacKey) {
      this.externalAccountBinding = new ExternalAccountBinding(keyIdentifier, hmacKey);
      return this;
    }

    public Builder extraTrust(Path pemFile) {
      this.extraTrust = pemFile;
      return this;
    }

    public Builder keyType(KeyType keyType) {
      this.keyType = keyType;
      return this;
    }

    public Builder challengeTimeout(Duration timeout) {
      this.challengeTimeout = timeout;
      return this;
    }

    public Builder orderTimeout(Duration timeout) {
      this.orderTimeout = timeout;
      return this;
    }

    public AcmeConfig build() {
      return new AcmeConfig(
          directory,
          contactEmail,
          accountKeyFile,
          externalAccountBinding,
          extraTrust,
          keyType,
          challengeTimeout,
          orderTimeout);
    }
  }
}
