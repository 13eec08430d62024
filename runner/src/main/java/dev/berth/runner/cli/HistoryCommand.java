package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth history SERVICE [--json]}. */
@Command(
    name = "history",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth history web",
      "  berth history web --json",
    },
    customSynopsis = "berth history SERVICE [--json] [CONNECTION]",
    header = "List the last declared specs of a service.",
    description = {
      "Lists the specs SERVICE was declared with, oldest first (the agent keeps the last 10, registry.history_limit): each one's generation, when it was declared, whether the service converged running it, who declared it, and under it what changed from the one before, field by field.",
      "Every change of the spec by apply or rollback is one entry; stop and start are none.",
      "berth rollback SERVICE --to GENERATION declares one of them again."
    })
final class HistoryCommand extends ClientCommand {

  @Parameters(paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Option(names = "--json", description = "Print the agent's HistoryResponse as JSON.")
  boolean json;

  @Override
  int run(AgentConnection agent) {
    AgentProto.HistoryResponse history =
        agent.call().history(AgentProto.HistoryRequest.newBuilder().setService(service).build());
    if (json) {
      out().println(Json.document(history));
    } else {
      print(history, out());
    }
    return ExitCodes.OK;
  }

  /** The table, each entry's changed fields under its row. */
  static void print(AgentProto.HistoryResponse history, PrintWriter out) {
    AlignedColumns table = AlignedColumns.withHeader("GENERATION", "DECLARED", "HEALTHY", "BY");
    List<AgentProto.HistoryEntry> entries = history.getEntriesList();
    for (AgentProto.HistoryEntry entry : entries) {
      table.row(
          String.valueOf(entry.getGeneration()),
          Formats.time(entry.getDeclaredAt()),
          entry.hasHealthyAt() ? "yes" : "no",
          by(entry));
    }
    List<String> lines = table.lines("");
    out.println(lines.get(0));
    for (int i = 0; i < entries.size(); i++) {
      out.println(lines.get(i + 1));
      for (AgentProto.FieldChange change : entries.get(i).getChangesList()) {
        out.println("  " + Formats.change(change));
      }
    }
    long newest = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).getGeneration();
    if (history.getGeneration() != newest) {
      // A stop or start moved the generation on without a new spec.
      out.println(
          history.getService()
              + " is at generation "
              + history.getGeneration()
              + ", with the spec of generation "
              + newest);
    }
  }

  /** Who declared an entry: the apply's source, or {@code rollback to 2 by cli}. */
  private static String by(AgentProto.HistoryEntry entry) {
    return entry.getRollbackOf() == 0
        ? entry.getSource()
        : "rollback to " + entry.getRollbackOf() + " by " + entry.getSource();
  }
}
