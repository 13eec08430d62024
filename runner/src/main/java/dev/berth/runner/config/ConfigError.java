package dev.berth.runner.config;

import java.util.Objects;

/**
 * One problem with the agent's configuration.
 *
 * @param keyPath where it is, as the file spells it ({@code api.tls.cert_file}, {@code
 *     runtimes.enabled[1]}, {@code stages[0].name}); empty when the problem is the file as a whole
 *     (it cannot be read, it is not TOML)
 * @param message the rule and the value that broke it ({@code must be 1..64, was 0})
 */
public record ConfigError(String keyPath, String message) {

  public ConfigError {
    keyPath = keyPath == null ? "" : keyPath;
    Objects.requireNonNull(message, "message");
  }

  /** {@code key.path: message}, or the message alone when there is no key path. */
  @Override
  public String toString() {
    return keyPath.isEmpty() ? message : keyPath + ": " + message;
  }
}
