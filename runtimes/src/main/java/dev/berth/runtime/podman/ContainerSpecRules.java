package dev.berth.runtime.podman;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;

/**
 * What podman cannot run, refused before anything runs. The spec's validator refuses each of these
 * at apply, with the field path, so that a declaration never reaches the runtime to fail here; a
 * test in reconcilers proves it.
 */
public final class ContainerSpecRules {

  private ContainerSpecRules() {}

  /**
   * @throws RuntimeFailure INVALID_SPEC naming what a container cannot be
   */
  public static void check(WorkloadSpec spec) {
    if (spec.kind() != WorkloadKind.CONTAINER) {
      throw invalid(spec, "podman runs containers, not " + spec.kind());
    }
    if (spec.image() == null || spec.image().isBlank()) {
      throw invalid(spec, "a container needs an image");
    }
    if (spec.executable() != null) {
      // A container runs its args against the image's entrypoint; silently dropping the field
      // would run something other than what was declared.
      throw invalid(spec, "a container has no executable; put the command in args");
    }
  }

  private static RuntimeFailure invalid(WorkloadSpec spec, String why) {
    return new RuntimeFailure(
        Reason.INVALID_SPEC, "podman cannot run " + spec.name() + ": " + why, (String) null);
  }
}
