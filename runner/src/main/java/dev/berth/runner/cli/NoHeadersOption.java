package dev.berth.runner.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --no-headers}: a table without its line of column names, for scripts (as kubectl's). */
final class NoHeadersOption {

  @Option(names = "--no-headers", description = "Leave out the line of column names.")
  boolean noHeaders;

  /** Prints {@code table}, with its header line unless {@code --no-headers}. */
  void print(AlignedColumns table, PrintWriter out, String indent) {
    List<String> lines = table.lines(indent);
    lines.subList(noHeaders ? 1 : 0, lines.size()).forEach(out::println);
  }

  void print(AlignedColumns table, PrintWriter out) {
    print(table, out, "");
  }
}
