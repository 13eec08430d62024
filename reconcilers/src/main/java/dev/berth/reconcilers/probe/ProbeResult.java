package dev.berth.reconcilers.probe;

/**
 * What a probe found.
 *
 * @param healthy whether the target passed
 * @param detail why not (connection refused, HTTP 503, NOT_SERVING), or a short note when it did
 */
public record ProbeResult(boolean healthy, String detail) {

  /** The target passed; {@code detail} is a short note. */
  public static ProbeResult pass(String detail) {
    return new ProbeResult(true, detail);
  }

  /** The target failed, because of {@code detail}. */
  public static ProbeResult fail(String detail) {
    return new ProbeResult(false, detail);
  }
}
