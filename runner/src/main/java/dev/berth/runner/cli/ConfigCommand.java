package dev.berth.runner.cli;

import dev.berth.reconcilers.cert.SecureFiles;
import dev.berth.runner.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code berth config}: the contexts of the client configuration ({@link ClientConfig}), and which
 * one is current. Offline: the agent is not contacted.
 */
@Command(
    name = "config",
    header = "Show and choose the contexts of the client configuration.",
    description = {
      "The client configuration names agents and how to reach them, as contexts; client commands"
          + " reach the current one unless told otherwise (--context, or the connection options)."
          + " It is $BERTH_CLIENT_CONFIG, else $XDG_CONFIG_HOME/berth/config.toml, else"
          + " ~/.config/berth/config.toml; docs/cli.md describes it."
    },
    subcommands = {
      ConfigCommand.GetContexts.class,
      ConfigCommand.CurrentContext.class,
      ConfigCommand.UseContext.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # The contexts, the current one marked",
      "  berth config get-contexts",
      "  # Reach the agent of context rift from now on",
      "  berth config use-context rift",
    })
final class ConfigCommand implements Callable<Integer> {

  /**
   * The top-level line that names the current context, for {@code use-context} to replace it in
   * place: the rest of the file, comments included, stays as its author wrote it.
   */
  private static final Pattern CURRENT_LINE = Pattern.compile("\\s*current_context\\s*=.*");

  private static final Pattern TABLE_HEADER = Pattern.compile("\\s*\\[.*");

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @ParentCommand BerthCli berth;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "a config command is needed: get-contexts, current-context, use-context");
  }

  /** The client configuration; an empty one when there is no file at the default location. */
  ClientConfig load() {
    Path file = ClientConfig.location(berth.environment());
    if (!Files.exists(file)) {
      return ClientConfig.empty(file);
    }
    try {
      return ClientConfig.load(file);
    } catch (ConfigException e) {
      throw new CliException(ExitCodes.FAILED, e.getMessage());
    }
  }

  /** Runs {@code body}, printing a {@link CliException} as {@code error: ...}. */
  static int guarded(CommandSpec spec, Callable<Integer> body) throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.call();
    } catch (CliException e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } finally {
      spec.commandLine().getOut().flush();
      err.flush();
    }
  }

  /** {@code berth config get-contexts}. */
  @Command(
      name = "get-contexts",
      header = "List the contexts, the current one marked.",
      description =
          "Lists the contexts of the client configuration: name, and the agent's"
              + " address or socket; * marks the current one.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  berth config get-contexts",
        "  # Those of another file",
        "  BERTH_CLIENT_CONFIG=ops.toml berth config get-contexts",
      })
  static final class GetContexts implements Callable<Integer> {

    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    @ParentCommand ConfigCommand config;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            ClientConfig loaded = config.load();
            PrintWriter out = spec.commandLine().getOut();
            if (loaded.contexts().isEmpty()) {
              out.println("no contexts are defined in " + loaded.file());
              return ExitCodes.OK;
            }
            AlignedColumns table = AlignedColumns.withHeader("CURRENT", "NAME", "AGENT");
            for (ClientConfig.Context context : loaded.contexts().values()) {
              table.row(
                  context.name().equals(loaded.currentContext()) ? "*" : "",
                  context.name(),
                  context.agent());
            }
            table.lines("").forEach(out::println);
            return ExitCodes.OK;
          });
    }
  }

  /** {@code berth config current-context}. */
  @Command(
      name = "current-context",
      header = "Print the current context's name.",
      description = "Prints current_context of the client configuration; exit 1 when none is set.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  berth config current-context",
        "  # Back to context local when none is set",
        "  berth config current-context || berth config use-context local",
      })
  static final class CurrentContext implements Callable<Integer> {

    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    @ParentCommand ConfigCommand config;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            ClientConfig loaded = config.load();
            if (loaded.currentContext() == null) {
              throw new CliException(
                  ExitCodes.FAILED, "no current context is set in " + loaded.file());
            }
            spec.commandLine().getOut().println(loaded.currentContext());
            return ExitCodes.OK;
          });
    }
  }

  /** {@code berth config use-context NAME}. */
  @Command(
      name = "use-context",
      header = "Make a context the current one.",
      description =
          "Sets current_context of the client configuration to NAME, one of its contexts; the"
              + " rest of the file is left as it is.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  berth config use-context rift",
        "  # Then client commands reach rift's agent",
        "  berth status",
      })
  static final class UseContext implements Callable<Integer> {

    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    @ParentCommand ConfigCommand config;

    @Parameters(paramLabel = "NAME", description = "The context, by name.")
    String name;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            ClientConfig loaded = config.load();
            loaded.context(name, "use-context");
            Path file = loaded.file();
            String text = Files.readString(file, StandardCharsets.UTF_8);
            write(file, withCurrent(text, name));
            spec.commandLine().getOut().println("the current context is now " + name);
            return ExitCodes.OK;
          });
    }

    private static void write(Path file, String text) {
      try {
        SecureFiles.writeAtomically(
            file, text.getBytes(StandardCharsets.UTF_8), Files.getPosixFilePermissions(file));
      } catch (IOException e) {
        throw new CliException(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
      }
    }
  }

  /**
   * {@code text} with its top-level {@code current_context} set to {@code name}: the line replaced
   * where it is, or a first line added (a top-level key must come before the first table).
   */
  static String withCurrent(String text, String name) {
    String line = "current_context = " + tomlString(name);
    List<String> lines = new ArrayList<>(text.lines().toList());
    for (int i = 0; i < lines.size(); i++) {
      if (TABLE_HEADER.matcher(lines.get(i)).matches()) {
        break;
      }
      if (CURRENT_LINE.matcher(lines.get(i)).matches()) {
        lines.set(i, line);
        return String.join("\n", lines) + "\n";
      }
    }
    lines.add(0, line);
    return String.join("\n", lines) + "\n";
  }

  /** A TOML basic string. */
  static String tomlString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
