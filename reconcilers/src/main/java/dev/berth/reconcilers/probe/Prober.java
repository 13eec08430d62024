package dev.berth.reconcilers.probe;

import java.time.Duration;

/** Checks whether a workload answers. Never throws: a failure is a result. */
public interface Prober {

  /** Probes {@code target}, giving up after {@code timeout}. */
  ProbeResult probe(ProbeTarget target, Duration timeout);
}
