package dev.berth.runtime.process;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;

/**
 * What a process cannot honour, refused before anything runs. The spec's validator refuses each of
 * these at apply, with the field path, so that a declaration never reaches the runtime to fail
 * here; a test in reconcilers proves it.
 */
public final class ProcessSpecRules {

  private ProcessSpecRules() {}

  /**
   * @throws RuntimeFailure INVALID_SPEC naming what a process cannot do
   */
  public static void check(WorkloadSpec spec) {
    if (spec.kind() != WorkloadKind.PROCESS) {
      throw invalid("runs processes, not " + spec.kind());
    }
    if (spec.executable() == null || spec.executable().isBlank()) {
      throw invalid("executable is required");
    }
    if (spec.user() != null) {
      throw invalid("a process runs as the agent's user; user must be unset, not " + spec.user());
    }
    if (!spec.mounts().isEmpty()) {
      throw invalid("a process sees the host's files; mounts must be empty");
    }
    PortEnvironment.of(spec.ports());
  }

  private static RuntimeFailure invalid(String message) {
    return new RuntimeFailure(Reason.INVALID_SPEC, "process: " + message, (String) null);
  }
}
