package dev.berth.runtime.local;

import dev.berth.spec.validation.Rules;

/**
 * The bounds of a workload's log rotation, shared by the process and QEMU runtimes' settings: a log
 * is rotated past {@code maxBytes}, and {@code keep} rotated files are kept.
 */
public final class LogLimits {

  /** A log smaller than this rotates every few lines. */
  public static final long MIN_MAX_BYTES = 4096;

  /** A bigger one is a mistake for gigabytes. */
  public static final long MAX_MAX_BYTES = 1L << 40;

  /** More rotated logs than this is a job for a log shipper, not for the node's disk. */
  public static final int MAX_KEEP = 100;

  private LogLimits() {}

  /** The rule of a log's size limit. */
  public static String maxBytes(long value) {
    return Rules.range(value, MIN_MAX_BYTES, MAX_MAX_BYTES);
  }

  /** The rule of how many rotated logs are kept. */
  public static String keep(long value) {
    return Rules.range(value, 0, MAX_KEEP);
  }
}
