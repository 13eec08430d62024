package dev.berth.runner.config;

import dev.berth.acme.AcmeConfig;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Certificates from an ACME CA ({@code [certificates.acme]}), validated with http-01. Choosing the
 * CA agrees to its terms of service. The table is read straight into the issuer's settings and the
 * challenge server's, whose Javadoc gives the defaults and the rules.
 *
 * @param config the CA, the account and the orders: {@code directory}, {@code email}, {@code
 *     account_key}, {@code trust_file}, {@code eab_key_id} with the key from {@code
 *     eab_hmac_key_file}, {@code key_type}, {@code challenge_timeout}, {@code order_timeout}
 * @param eabHmacKeyFile the file the binding's HMAC key was read from, or null; named (never
 *     printed) in the effective configuration
 * @param challenge where http-01 validators connect ({@code challenge_port}): nginx serves the
 *     answers from {@code challenge_dir} there when routes are enabled, else Berth listens on it
 *     itself
 */
public record AcmeSetup(
    AcmeConfig config, Path eabHmacKeyFile, NginxConfig.AcmeChallenge challenge) {

  /** {@code <data_dir>/acme/account.pem}. */
  public static final String DEFAULT_ACCOUNT_KEY = "acme/account.pem";

  /**
   * {@code <data_dir>/acme-challenges}, not under {@code acme/}: the account key's directory is
   * private (0700), and nginx's unprivileged workers must read the answers.
   */
  public static final String DEFAULT_CHALLENGE_DIR = "acme-challenges";

  public AcmeSetup {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(challenge, "challenge");
  }
}
