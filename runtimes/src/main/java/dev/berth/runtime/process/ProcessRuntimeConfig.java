package dev.berth.runtime.process;

import dev.berth.runtime.local.LogLimits;
import dev.berth.spec.validation.Rules;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link ProcessRuntime} keeps its workloads and how their logs are bounded.
 *
 * @param stateRoot the directory holding one directory per workload. It must outlive the agent (not
 *     a temporary directory): it is how a restarted agent finds its processes again.
 * @param logMaxBytes a workload's output log is rotated when it reaches this size, and never grows
 *     past it; default {@link #DEFAULT_LOG_MAX_BYTES}, within {@link LogLimits#maxBytes}
 * @param logKeep how many rotated logs ({@code output.log.1} ... {@code output.log.N}) to keep;
 *     default {@link #DEFAULT_LOG_KEEP}, within {@link LogLimits#keep}. A workload's logs hold at
 *     most {@code logMaxBytes * (logKeep + 1)} bytes, whatever its output rate (see {@link
 *     ProcessRuntime}).
 */
public record ProcessRuntimeConfig(Path stateRoot, long logMaxBytes, int logKeep) {

  /** 10 MiB: a few days of a chatty service's output. */
  public static final long DEFAULT_LOG_MAX_BYTES = 10L * 1024 * 1024;

  /** Three rotated logs: with the live one at most 40 MiB per workload with the default size. */
  public static final int DEFAULT_LOG_KEEP = 3;

  /** Requires the state root; bounds the log rotation ({@link LogLimits}). */
  public ProcessRuntimeConfig {
    Objects.requireNonNull(stateRoot, "stateRoot");
    Rules.require("logMaxBytes", LogLimits.maxBytes(logMaxBytes));
    Rules.require("logKeep", LogLimits.keep(logKeep));
  }

  /** The defaults, keeping workloads under {@code stateRoot}. */
  public static ProcessRuntimeConfig of(Path stateRoot) {
    return new ProcessRuntimeConfig(stateRoot, DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_KEEP);
  }

  /**
   * This configuration rotating a workload's log at {@code maxBytes}, keeping {@code keep} rotated
   * logs.
   */
  public ProcessRuntimeConfig withLogRotation(long maxBytes, int keep) {
    return new ProcessRuntimeConfig(stateRoot, maxBytes, keep);
  }
}
