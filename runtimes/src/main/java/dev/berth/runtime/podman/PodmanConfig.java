package dev.berth.runtime.podman;

import dev.berth.spec.validation.Rules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PodmanRuntime} reaches podman.
 *
 * @param podmanBinary the podman executable: a path, or a name looked up on the PATH ({@link
 *     Rules#program}); default {@link #DEFAULT_BINARY}
 * @param containersConf the {@code containers.conf} every podman process gets as {@code
 *     CONTAINERS_CONF}, or null (the default) to leave podman's own lookup (and the agent's
 *     environment) alone
 * @param commandTimeout how long one short podman command (run, ps, inspect, stop, rm) may take
 *     before it is killed and the operation fails; default {@link #DEFAULT_COMMAND_TIMEOUT}
 * @param pullTimeout how long {@code podman pull} may take; images can be large; default {@link
 *     #DEFAULT_PULL_TIMEOUT}
 */
public record PodmanConfig(
    String podmanBinary, Path containersConf, Duration commandTimeout, Duration pullTimeout) {

  /** {@code podman} on the PATH, as a package installs it. */
  public static final String DEFAULT_BINARY = "podman";

  /**
   * Generous against a 0.2 s {@code podman run}: only a hung podman (a stuck storage lock) should
   * reach it, and a reconcile worker must not wait on that forever.
   */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /** A multi-gigabyte image over a slow link still fits. */
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(15);

  /** Requires every part but {@code containersConf}; the binary must be a program name or path. */
  public PodmanConfig {
    Objects.requireNonNull(podmanBinary, "podmanBinary");
    Rules.require("podmanBinary", Rules.program(podmanBinary));
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(pullTimeout, "pullTimeout");
  }

  /** podman from the PATH with its own configuration lookup and the default timeouts. */
  public static PodmanConfig defaults() {
    return new PodmanConfig(DEFAULT_BINARY, null, DEFAULT_COMMAND_TIMEOUT, DEFAULT_PULL_TIMEOUT);
  }

  /** This configuration with {@code value} as the podman executable. */
  public PodmanConfig withPodmanBinary(String value) {
    return new PodmanConfig(value, containersConf, commandTimeout, pullTimeout);
  }

  /**
   * This configuration giving podman {@code value} as its {@code containers.conf}; null for
   * podman's own lookup.
   */
  public PodmanConfig withContainersConf(Path value) {
    return new PodmanConfig(podmanBinary, value, commandTimeout, pullTimeout);
  }

  /** This configuration with {@code value} as the timeout of short podman commands. */
  public PodmanConfig withCommandTimeout(Duration value) {
    return new PodmanConfig(podmanBinary, containersConf, value, pullTimeout);
  }

  /** This configuration with {@code value} as the timeout of {@code podman pull}. */
  public PodmanConfig withPullTimeout(Duration value) {
    return new PodmanConfig(podmanBinary, containersConf, commandTimeout, value);
  }
}
