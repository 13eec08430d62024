package dev.berth.runner.config;

import dev.berth.runtime.process.ProcessRuntimeConfig;

/**
 * The process runtime ({@code [runtimes.process]}); its workloads live under {@code
 * <data_dir>/process}.
 *
 * @param logMaxBytes a workload's output log is rotated past this size
 * @param logKeep how many rotated logs to keep
 */
public record ProcessSettings(long logMaxBytes, int logKeep) {

  /** The runtime's own default: see {@link ProcessRuntimeConfig#DEFAULT_LOG_MAX_BYTES}. */
  public static final long DEFAULT_LOG_MAX_BYTES = ProcessRuntimeConfig.DEFAULT_LOG_MAX_BYTES;

  /** The runtime's own default: see {@link ProcessRuntimeConfig#DEFAULT_LOG_KEEP}. */
  public static final int DEFAULT_LOG_KEEP = ProcessRuntimeConfig.DEFAULT_LOG_KEEP;

  /** More rotated logs than this is a job for a log shipper, not for the node's disk. */
  public static final int MAX_LOG_KEEP = 100;
}
