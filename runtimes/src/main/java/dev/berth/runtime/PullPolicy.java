package dev.berth.runtime;

/** When {@link WorkloadRuntime#ensureImage} fetches an image. */
public enum PullPolicy {
  /** Fetch every time, even if a copy is present. */
  ALWAYS,
  /** Fetch only when no copy is present: what recovery wants when the registry is down. */
  IF_ABSENT,
  /** Never fetch; a missing image is an error. */
  NEVER
}
