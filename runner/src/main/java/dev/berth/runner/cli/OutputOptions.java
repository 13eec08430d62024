package dev.berth.runner.cli;

import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code -o, --output FORMAT} and its older spelling {@code --json}, for every command that prints
 * the agent's answer. Each command says which formats it has ({@link #format(Set)}); the default is
 * its table or lines.
 */
final class OutputOptions {

  /** The formats of a command that lists rows: all of them. */
  static final Set<OutputFormat> LISTING = EnumSet.allOf(OutputFormat.class);

  /** The formats of a command that answers with one document and no table. */
  static final Set<OutputFormat> DOCUMENT =
      EnumSet.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.YAML);

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = OutputFormat.Converter.class,
      description =
          "Print json or yaml (the agent's answer), wide (more columns) or name (one"
              + " identifier per line), where the command has it.")
  OutputFormat output;

  @Option(names = "--json", description = "The same as -o json.")
  boolean json;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * The format asked for; a format the command does not have, or {@code --json} with another {@code
   * -o}, is a usage error.
   */
  OutputFormat format(Set<OutputFormat> available) {
    if (json && output != null && output != OutputFormat.JSON) {
      throw new ParameterException(
          command.commandLine(), "--json is -o json: it excludes -o " + output.word());
    }
    OutputFormat format = json ? OutputFormat.JSON : output == null ? OutputFormat.TABLE : output;
    if (!available.contains(format)) {
      Set<OutputFormat> words = EnumSet.copyOf(available);
      words.remove(OutputFormat.TABLE);
      throw new ParameterException(
          command.commandLine(),
          "berth "
              + command.name()
              + " has no -o "
              + format.word()
              + ": use -o "
              + OutputFormat.words(words));
    }
    return format;
  }
}
