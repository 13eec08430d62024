package dev.berth.store.file;

import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import java.util.List;

/**
 * Reads the {@code host:container[:ro]} spelling of a volume. Only the shape is checked here; the
 * validator checks the paths themselves.
 */
final class VolumeSyntax {

  static final String FORM = "\"host:container\" or \"host:container:ro\"";

  private VolumeSyntax() {}

  /** The mount, or null after reporting a string of another shape. */
  static VolumeMount parse(String text, String path, List<Violation> problems) {
    String[] parts = text.split(":", -1);
    if (parts.length == 2) {
      return new VolumeMount(parts[0], parts[1], false);
    }
    if (parts.length == 3) {
      switch (parts[2]) {
        case "ro":
          return new VolumeMount(parts[0], parts[1], true);
        case "rw":
          // podman's explicit spelling of the default; accepted so predecessor files load as-is.
          return new VolumeMount(parts[0], parts[1], false);
        default:
          problems.add(
              new Violation(
                  path,
                  "unknown volume option "
                      + Rules.quote(parts[2])
                      + " (Berth knows \"ro\" and \"rw\"), was "
                      + Rules.quote(text)));
          return null;
      }
    }
    problems.add(new Violation(path, "must be " + FORM + ", was " + Rules.quote(text)));
    return null;
  }
}
