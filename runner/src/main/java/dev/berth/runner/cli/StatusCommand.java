package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth status [SERVICE] [-o FORMAT] [--no-headers] [-w]}, {@code berth status --ignored [-o
 * FORMAT]}.
 */
@Command(
    name = "status",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth status",
      "  # One service: its declaration, conditions and last events",
      "  berth status web",
      "  # Follow changes as they happen",
      "  berth status -w",
      "  # The workloads Berth leaves alone",
      "  berth status --ignored",
    },
    customSynopsis =
        "berth status [SERVICE | -l SELECTOR | --ignored] [-w] [-o json|yaml|wide|name]"
            + " [--no-headers] [CONNECTION]",
    header = "Show services and their components.",
    description = {
      "Shows the declared services and what runs of them: one row per component.",
      "With SERVICE: also its declaration, conditions and last events.",
      "With -l: only the services whose labels match (the agent selects them).",
      "With --ignored: the workloads on the node that are not this registry's (without Berth's labels, or made by another registry), which Berth never stops or removes.",
      "With -w: then a line for every row that changes, until Ctrl-C."
    })
final class StatusCommand extends ClientCommand {

  /** Enough history to see what just happened, short enough to fit a screen. */
  static final int EVENTS = 10;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", description = "One service.")
  String service;

  @Mixin OutputOptions output;

  @Mixin NoHeadersOption headers;

  @Option(
      names = "--ignored",
      description =
          "List the workloads that are not this registry's instead of the services; with -o json"
              + " or yaml, the agent's NodeStatusResponse, whose ignored field lists them.")
  boolean ignored;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description =
          "Only the services whose labels match SELECTOR (kubectl's syntax: tier=web,env!=prod,"
              + " tier, !legacy, env in (a,b), env notin (a,b)).")
  String selector;

  @Option(
      names = {"-w", "--watch"},
      description =
          "After the table, print each row again when it changes (one line per change), until"
              + " Ctrl-C; with -o json, one Service per line.")
  boolean watch;

  private OutputFormat format;

  @Override
  int prepare() {
    format = output.format(OutputOptions.LISTING);
    if (ignored && service != null) {
      throw new ParameterException(
          spec.commandLine(), "--ignored lists workloads, not a service: drop SERVICE");
    }
    if (selector != null) {
      if (service != null || ignored) {
        throw new ParameterException(
            spec.commandLine(),
            "-l selects among the services: drop " + (ignored ? "--ignored" : "SERVICE"));
      }
      if (watch) {
        // A watch would have to tell a service that left the selection from a deleted one.
        throw new ParameterException(
            spec.commandLine(), "-l and --watch do not go together: watch SERVICE, or all");
      }
      ServiceSelection.parse(spec.commandLine(), selector);
    }
    if (watch && ignored) {
      throw new ParameterException(spec.commandLine(), "--watch follows services, not --ignored");
    }
    if (watch && format == OutputFormat.YAML) {
      throw new ParameterException(
          spec.commandLine(), "--watch prints one line per change: use -o json, wide or name");
    }
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    if (ignored) {
      return printIgnored(
          agent.call().nodeStatus(AgentProto.NodeStatusRequest.getDefaultInstance()));
    }
    if (watch) {
      return new StatusWatch(agent, environment().stopSignal(), out(), format, headers.noHeaders)
          .run(service);
    }
    if (service == null) {
      AgentProto.ListServicesResponse all =
          agent
              .call()
              .listServices(
                  AgentProto.ListServicesRequest.newBuilder()
                      .setLabelSelector(selector == null ? "" : selector)
                      .build());
      if (format == OutputFormat.NAME) {
        all.getServicesList().forEach(one -> out().println(name(one)));
      } else if (format.isDocument()) {
        out().println(format.document(all));
      } else if (all.getServicesCount() == 0) {
        out()
            .println(
                selector == null
                    ? "no services are declared"
                    : "no service matches -l " + selector);
      } else {
        headers.print(StatusTable.of(all.getServicesList(), format == OutputFormat.WIDE), out());
      }
      return ExitCodes.OK;
    }
    AgentProto.Service one =
        agent
            .call()
            .getService(
                AgentProto.GetServiceRequest.newBuilder()
                    .setName(service)
                    .setEvents(EVENTS)
                    .build());
    if (format == OutputFormat.NAME) {
      out().println(name(one));
      return ExitCodes.OK;
    }
    if (format.isDocument()) {
      out().println(format.document(one));
      return ExitCodes.OK;
    }
    headers.print(StatusTable.of(List.of(one), format == OutputFormat.WIDE), out());
    out().println();
    ServiceDetails.print(one, out());
    return ExitCodes.OK;
  }

  /** {@code service/hello}: what {@code -o name} prints of a service, as kubectl names a kind. */
  static String name(AgentProto.Service service) {
    return "service/" + service.getSpec().getName();
  }

  private int printIgnored(AgentProto.NodeStatusResponse node) {
    if (format.isDocument()) {
      out().println(format.document(node));
      return ExitCodes.OK;
    }
    if (format == OutputFormat.NAME) {
      node.getIgnoredList().forEach(w -> out().println(w.getRuntime() + "/" + w.getId()));
      return ExitCodes.OK;
    }
    if (node.getIgnoredCount() == 0) {
      out().println("no ignored workloads");
      return ExitCodes.OK;
    }
    AlignedColumns table =
        AlignedColumns.withHeader("RUNTIME", "ID", "NAME", "KIND", "IMAGE", "STATE", "MADE BY");
    for (AgentProto.IgnoredWorkload workload : node.getIgnoredList()) {
      table.row(
          workload.getRuntime(),
          workload.getId(),
          Formats.orDash(workload.getName()),
          Formats.orDash(workload.getKind()),
          Formats.orDash(workload.getImage()),
          Formats.orDash(workload.getState()),
          workload.getOwnerRegistry().isEmpty() ? "-" : "registry " + workload.getOwnerRegistry());
    }
    headers.print(table, out());
    return ExitCodes.OK;
  }
}
