package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth history SERVICE [-o FORMAT] [--no-headers]}. */
@Command(
    name = "history",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth history web",
      "  berth history web -o yaml",
    },
    customSynopsis = "berth history SERVICE [-o json|yaml|wide|name] [--no-headers] [CONNECTION]",
    header = "List the last declared specs of a service.",
    description = {
      "Lists the specs SERVICE was declared with, oldest first (the agent keeps the last 10, registry.history_limit): each one's generation, when it was declared, whether the service converged running it, who declared it, and under it what changed from the one before, field by field.",
      "Every change of the spec by apply or rollback is one entry; stop and start are none.",
      "berth rollback SERVICE --to GENERATION declares one of them again."
    })
final class HistoryCommand extends ClientCommand {

  @Parameters(paramLabel = "SERVICE", description = "The service, by name.")
  String service;

  @Mixin OutputOptions output;

  @Mixin NoHeadersOption headers;

  private OutputFormat format;

  @Override
  int prepare() {
    format = output.format(OutputOptions.LISTING);
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    AgentProto.HistoryResponse history =
        agent.call().history(AgentProto.HistoryRequest.newBuilder().setService(service).build());
    if (format.isDocument()) {
      out().println(format.document(history));
    } else if (format == OutputFormat.NAME) {
      history.getEntriesList().forEach(e -> out().println("generation/" + e.getGeneration()));
    } else {
      print(history, format == OutputFormat.WIDE, headers.noHeaders, out());
    }
    return ExitCodes.OK;
  }

  /**
   * The table, each entry's changed fields under its row; {@code wide} adds when it became healthy
   * and how many fields changed.
   */
  static void print(
      AgentProto.HistoryResponse history, boolean wide, boolean noHeaders, PrintWriter out) {
    AlignedColumns table =
        wide
            ? AlignedColumns.withHeader(
                "GENERATION", "DECLARED", "HEALTHY", "BY", "HEALTHY SINCE", "CHANGES")
            : AlignedColumns.withHeader("GENERATION", "DECLARED", "HEALTHY", "BY");
    List<AgentProto.HistoryEntry> entries = history.getEntriesList();
    for (AgentProto.HistoryEntry entry : entries) {
      String[] row = {
        String.valueOf(entry.getGeneration()),
        Formats.time(entry.getDeclaredAt()),
        entry.hasHealthyAt() ? "yes" : "no",
        by(entry)
      };
      table.row(
          wide
              ? new String[] {
                row[0],
                row[1],
                row[2],
                row[3],
                Formats.time(entry.getHealthyAt()),
                Integer.toString(entry.getChangesCount())
              }
              : row);
    }
    List<String> lines = table.lines("");
    if (!noHeaders) {
      out.println(lines.get(0));
    }
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
