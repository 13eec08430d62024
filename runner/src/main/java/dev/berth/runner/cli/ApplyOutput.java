package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.io.PrintWriter;

/**
 * What {@code berth apply} prints: one line per service ({@code hello created (generation 1)}), and
 * for a dry run the changed fields under each and a reminder that nothing was changed.
 */
final class ApplyOutput {

  private ApplyOutput() {}

  static void print(AgentProto.ApplyResponse response, PrintWriter out) {
    boolean dryRun = response.getDryRun();
    for (AgentProto.ServiceChange change : response.getChangesList()) {
      out.println(line(change, dryRun));
      if (dryRun) {
        for (AgentProto.FieldChange field : change.getDiffList()) {
          out.println("  " + Formats.change(field));
        }
      }
    }
    if (dryRun) {
      out.println("dry run: nothing was changed");
    }
  }

  /**
   * What {@code berth diff} prints of a dry run: the services that would change, each with its
   * changed fields, as {@link #print} shows them; nothing when nothing would change.
   */
  static void printDiff(AgentProto.ApplyResponse response, PrintWriter out) {
    for (AgentProto.ServiceChange change : response.getChangesList()) {
      if (change.getKind() != AgentProto.ServiceChange.Kind.UNCHANGED) {
        out.println(line(change, true));
        for (AgentProto.FieldChange field : change.getDiffList()) {
          out.println("  " + Formats.change(field));
        }
      }
    }
  }

  /** Whether applying would change anything: a service created, updated or pruned. */
  static boolean changes(AgentProto.ApplyResponse response) {
    return response.getChangesList().stream()
        .anyMatch(change -> change.getKind() != AgentProto.ServiceChange.Kind.UNCHANGED);
  }

  static String line(AgentProto.ServiceChange change, boolean dryRun) {
    String name = change.getService();
    String generation = " (generation " + change.getGeneration() + ")";
    switch (change.getKind()) {
      case CREATED:
        return name + (dryRun ? " would be created" : " created") + generation;
      case UPDATED:
        return name
            + (dryRun ? " would be updated" : " updated")
            + generation
            + (change.getPreviousSource().isEmpty()
                ? ""
                : ", taken over from " + change.getPreviousSource());
      case PRUNED:
        return name + (dryRun ? " would be pruned" : " pruned");
      case UNCHANGED:
        return name + " unchanged";
      default:
        return name + ": " + change.getKind().name().toLowerCase();
    }
  }
}
