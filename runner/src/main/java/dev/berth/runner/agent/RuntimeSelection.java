package dev.berth.runner.agent;

import dev.berth.runner.config.RuntimeName;
import dev.berth.runner.config.RuntimesConfig;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Which runtimes a node runs: the configured list, each checked for its program, or, with none
 * configured, the process runtime and every other whose program is installed.
 */
final class RuntimeSelection {

  private RuntimeSelection() {}

  /**
   * The runtimes to create, in order. An explicitly enabled runtime whose program is missing is an
   * error (added to {@code errors}): the operator asked for it, and its workloads would fail one by
   * one with a less clear message.
   */
  static List<RuntimeName> select(RuntimesConfig runtimes, List<Violation> errors) {
    if (runtimes.automatic()) {
      List<RuntimeName> found = new ArrayList<>(List.of(RuntimeName.PROCESS));
      for (RuntimeName name : List.of(RuntimeName.PODMAN, RuntimeName.QEMU)) {
        if (Executables.find(program(runtimes, name)).isPresent()) {
          found.add(name);
        }
      }
      return found;
    }
    for (int i = 0; i < runtimes.enabled().size(); i++) {
      RuntimeName name = runtimes.enabled().get(i);
      String program = program(runtimes, name);
      if (program != null && Executables.find(program).isEmpty()) {
        errors.add(
            new Violation(
                "runtimes.enabled[" + i + "]",
                name.wire()
                    + " is enabled but its program "
                    + Rules.quote(program)
                    + " "
                    + Executables.whereLooked(program)
                    + " (install it, set runtimes."
                    + name.wire()
                    + ".binary, or leave "
                    + name.wire()
                    + " out)"));
      }
    }
    return runtimes.enabled();
  }

  /** The program a runtime needs; null for the process runtime, which needs none. */
  private static String program(RuntimesConfig runtimes, RuntimeName name) {
    return switch (name) {
      case PROCESS -> null;
      case PODMAN -> runtimes.podman().podmanBinary();
      case QEMU -> runtimes.qemu().binary();
    };
  }
}
