package dev.berth.runner.cli;

import com.google.protobuf.util.Timestamps;
import dev.berth.proto.v1.AgentProto;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth node [-o json|yaml|name]}. */
@Command(
    name = "node",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth node",
      "  berth node -o json",
    },
    customSynopsis = "berth node [-o json|yaml|name] [CONNECTION]",
    header = "Show the agent: runtimes, stages, loops, health.",
    description = {
      "Shows the agent and its node: version, its registry's id, runtimes, components by state, the workloads that are not this registry's, boot stages, the health of the reconcile loops, and every fault that keeps the node from doing its job (what /healthz answers).",
    })
final class NodeCommand extends ClientCommand {

  @Mixin OutputOptions output;

  private OutputFormat format;

  @Override
  int prepare() {
    // No table to widen: the node is one record.
    format =
        output.format(
            EnumSet.of(
                OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.YAML, OutputFormat.NAME));
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    AgentProto.NodeStatusResponse node =
        agent.call().nodeStatus(AgentProto.NodeStatusRequest.getDefaultInstance());
    if (format.isDocument()) {
      out().println(format.document(node));
      return ExitCodes.OK;
    }
    if (format == OutputFormat.NAME) {
      out().println("node/" + node.getNode());
      return ExitCodes.OK;
    }
    AlignedColumns.withoutHeader(2)
        .row("node", Formats.orDash(node.getNode()))
        .row("version", Formats.orDash(node.getVersion()))
        .row("started", started(node))
        .row("ready", node.getReady() ? "yes" : "no")
        .row("healthy", node.getHealthy() ? "yes" : "no")
        .row("registry", Formats.orDash(node.getRegistry()))
        .row("runtimes", runtimes(node))
        .row("services", Integer.toString(node.getServices()))
        .row("components", components(node))
        .row("ignored", ignored(node))
        .print(out());
    printFaults(node);
    printForeign(node);
    out().println();
    printStages(node);
    out().println();
    printLoops(node);
    return ExitCodes.OK;
  }

  private String started(AgentProto.NodeStatusResponse node) {
    if (!node.hasStartedAt()) {
      return "-";
    }
    Instant started = Instant.ofEpochMilli(Timestamps.toMillis(node.getStartedAt()));
    long up = Duration.between(started, environment().clock().instant()).toSeconds();
    return Formats.time(node.getStartedAt()) + " (up " + Durations.human(up) + ")";
  }

  private static String runtimes(AgentProto.NodeStatusResponse node) {
    if (node.getRuntimesCount() == 0) {
      return "none";
    }
    return node.getRuntimesList().stream()
        .map(NodeCommand::runtime)
        .collect(Collectors.joining(", "));
  }

  private static String runtime(AgentProto.RuntimeInfo runtime) {
    return runtime.getName()
        + (runtime.getKindsCount() == 0
            ? ""
            : " (" + String.join(", ", runtime.getKindsList()) + ")");
  }

  /** {@code 5 (running 4, exited 1)}, states in alphabetical order so the line is stable. */
  private static String components(AgentProto.NodeStatusResponse node) {
    Map<String, Integer> byState = new TreeMap<>(node.getComponentsByStateMap());
    String total = Integer.toString(node.getComponents());
    if (byState.isEmpty()) {
      return total;
    }
    return total
        + " ("
        + byState.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "))
        + ")";
  }

  private static String ignored(AgentProto.NodeStatusResponse node) {
    return Formats.count(node.getIgnoredWorkloads(), "workload", "workloads")
        + " not this registry's (never touched)";
  }

  private void printFaults(AgentProto.NodeStatusResponse node) {
    if (node.getFaultsCount() == 0) {
      return;
    }
    out().println();
    out().println("Faults:");
    node.getFaultsList().forEach(fault -> out().println("  " + fault));
  }

  /** Workloads another registry made, by registry: what `berth adopt` would hand over. */
  private void printForeign(AgentProto.NodeStatusResponse node) {
    Map<String, Integer> byRegistry = new TreeMap<>();
    for (AgentProto.IgnoredWorkload ignored : node.getIgnoredList()) {
      if (!ignored.getOwnerRegistry().isEmpty()) {
        byRegistry.merge(ignored.getOwnerRegistry(), 1, Integer::sum);
      }
    }
    if (byRegistry.isEmpty()) {
      return;
    }
    out().println();
    out()
        .println(
            "Made by another registry (never touched; `berth adopt REGISTRY` hands them over):");
    AlignedColumns foreign = AlignedColumns.withHeader("REGISTRY", "WORKLOADS");
    byRegistry.forEach((registry, count) -> foreign.row(registry, Integer.toString(count)));
    foreign.print(out(), "  ");
  }

  private void printStages(AgentProto.NodeStatusResponse node) {
    if (node.getStagesCount() == 0) {
      out().println("Boot stages: none configured");
      return;
    }
    out().println("Boot stages:");
    AlignedColumns stages = AlignedColumns.withHeader("STAGE", "PHASE", "SERVICES", "REASON");
    for (AgentProto.BootStage stage : node.getStagesList()) {
      stages.row(
          stage.getName(),
          stage.getPhase(),
          stage.getServicesCount() == 0 ? "-" : String.join(",", stage.getServicesList()),
          Formats.orDash(stage.getReason()));
    }
    stages.print(out(), "  ");
  }

  private void printLoops(AgentProto.NodeStatusResponse node) {
    if (node.getLoopsCount() == 0) {
      out().println("Loops: none reported");
      return;
    }
    out().println("Loops:");
    AlignedColumns loops = AlignedColumns.withHeader("LOOP", "HEALTHY", "QUEUED", "DETAIL");
    for (AgentProto.LoopHealth loop : node.getLoopsList()) {
      loops.row(
          loop.getName(),
          loop.getHealthy() ? "yes" : "no",
          Integer.toString(loop.getDepth()),
          Formats.orDash(loop.getDetail()));
    }
    loops.print(out(), "  ");
  }
}
