package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth status [SERVICE] [--json]}, {@code berth status --ignored [--json]}. */
@Command(
    name = "status",
    customSynopsis = "berth status [SERVICE | -l SELECTOR | --ignored] [--json] [CONNECTION]",
    header = "Show services and their components.",
    description = {
      "Shows the declared services and what runs of them: one row per component.",
      "With SERVICE: also its declaration, conditions and last events.",
      "With -l: only the services whose labels match (the agent selects them).",
      "With --ignored: the workloads on the node that are not this registry's (without Berth's labels, or made by another registry), which Berth never stops or removes."
    })
final class StatusCommand extends ClientCommand {

  /** Enough history to see what just happened, short enough to fit a screen. */
  static final int EVENTS = 10;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", description = "One service.")
  String service;

  @Option(
      names = "--json",
      description =
          "Print the agent's answer as JSON (a ListServicesResponse, or a Service with SERVICE).")
  boolean json;

  @Option(
      names = "--ignored",
      description =
          "List the workloads that are not this registry's instead of the services; with --json,"
              + " the agent's NodeStatusResponse, whose ignored field lists them.")
  boolean ignored;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description =
          "Only the services whose labels match SELECTOR (kubectl's syntax: tier=web,env!=prod,"
              + " tier, !legacy, env in (a,b), env notin (a,b)).")
  String selector;

  @Override
  int prepare() {
    if (selector != null) {
      if (service != null || ignored) {
        throw new ParameterException(
            spec.commandLine(),
            "-l selects among the services: drop " + (ignored ? "--ignored" : "SERVICE"));
      }
      ServiceSelection.parse(spec.commandLine(), selector);
    }
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    if (ignored) {
      if (service != null) {
        throw new ParameterException(
            spec.commandLine(), "--ignored lists workloads, not a service: drop SERVICE");
      }
      return printIgnored(
          agent.call().nodeStatus(AgentProto.NodeStatusRequest.getDefaultInstance()));
    }
    if (service == null) {
      AgentProto.ListServicesResponse all =
          agent
              .call()
              .listServices(
                  AgentProto.ListServicesRequest.newBuilder()
                      .setLabelSelector(selector == null ? "" : selector)
                      .build());
      if (json) {
        out().println(Json.document(all));
      } else if (all.getServicesCount() == 0) {
        out()
            .println(
                selector == null
                    ? "no services are declared"
                    : "no service matches -l " + selector);
      } else {
        StatusTable.of(all.getServicesList()).print(out());
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
    if (json) {
      out().println(Json.document(one));
      return ExitCodes.OK;
    }
    StatusTable.of(List.of(one)).print(out());
    out().println();
    ServiceDetails.print(one, out());
    return ExitCodes.OK;
  }

  private int printIgnored(AgentProto.NodeStatusResponse node) {
    if (json) {
      out().println(Json.document(node));
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
    table.print(out());
    return ExitCodes.OK;
  }
}
