package dev.berth.runner.config;

import dev.berth.runtime.podman.PodmanConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The podman runtime ({@code [runtimes.podman]}).
 *
 * @param binary the podman executable: a path, or a name looked up on the PATH
 * @param containersConf a {@code containers.conf} given to podman as {@code CONTAINERS_CONF}, or
 *     null to leave podman's own lookup
 * @param commandTimeout how long one short podman command may take
 * @param pullTimeout how long pulling an image may take
 */
public record PodmanSettings(
    String binary, Path containersConf, Duration commandTimeout, Duration pullTimeout) {

  /** The runtime's own default: {@link PodmanConfig#DEFAULT_BINARY}. */
  public static final String DEFAULT_BINARY = PodmanConfig.DEFAULT_BINARY;

  /** The runtime's own default: see {@link PodmanConfig#DEFAULT_COMMAND_TIMEOUT}. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = PodmanConfig.DEFAULT_COMMAND_TIMEOUT;

  /** The runtime's own default: see {@link PodmanConfig#DEFAULT_PULL_TIMEOUT}. */
  public static final Duration DEFAULT_PULL_TIMEOUT = PodmanConfig.DEFAULT_PULL_TIMEOUT;

  public PodmanSettings {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(pullTimeout, "pullTimeout");
  }
}
