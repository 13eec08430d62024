package dev.berth.runtime.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@link ProcessRuntime} keeps its workloads and how it rotates their logs.
 *
 * @param stateRoot the directory holding one directory per workload. It must outlive the agent (not
 *     a temporary directory): it is how a restarted agent finds its processes again.
 * @param logMaxBytes a workload's output log is rotated once it grows past this size; default
 *     {@link #DEFAULT_LOG_MAX_BYTES}
 * @param logKeep how many rotated logs ({@code output.log.1} ... {@code output.log.N}) to keep;
 *     default {@link #DEFAULT_LOG_KEEP}
 * @param rotationInterval how often the log sizes are checked; default {@link
 *     #DEFAULT_ROTATION_INTERVAL}
 */
public record ProcessRuntimeConfig(
    Path stateRoot, long logMaxBytes, int logKeep, Duration rotationInterval) {

  /** 10 MiB: a few days of a chatty service's output, and quick to copy when it rotates. */
  public static final long DEFAULT_LOG_MAX_BYTES = 10L * 1024 * 1024;

  /** Three rotated logs: with the live one at most 40 MiB per workload with the default size. */
  public static final int DEFAULT_LOG_KEEP = 3;

  /**
   * Ten seconds: checking is one stat per workload, and a log can outgrow its limit by at most ten
   * seconds of output.
   */
  public static final Duration DEFAULT_ROTATION_INTERVAL = Duration.ofSeconds(10);

  public ProcessRuntimeConfig {
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(rotationInterval, "rotationInterval");
    if (logMaxBytes <= 0) {
      throw new IllegalArgumentException("logMaxBytes must be positive: " + logMaxBytes);
    }
    if (logKeep < 0) {
      throw new IllegalArgumentException("logKeep must not be negative: " + logKeep);
    }
    if (rotationInterval.isNegative() || rotationInterval.isZero()) {
      throw new IllegalArgumentException("rotationInterval must be positive: " + rotationInterval);
    }
  }

  /** The defaults, keeping workloads under {@code stateRoot}. */
  public static ProcessRuntimeConfig of(Path stateRoot) {
    return new ProcessRuntimeConfig(
        stateRoot, DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_KEEP, DEFAULT_ROTATION_INTERVAL);
  }

  public ProcessRuntimeConfig withLogRotation(long maxBytes, int keep, Duration interval) {
    return new ProcessRuntimeConfig(stateRoot, maxBytes, keep, interval);
  }
}
