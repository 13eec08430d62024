package dev.berth.runner.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} for subcommands: the version option belongs to {@code berth} alone. */
final class HelpOption {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;
}
