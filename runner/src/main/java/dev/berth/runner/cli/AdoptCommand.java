package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth adopt REGISTRY}. */
@Command(
    name = "adopt",
    footerHeading = "%nExamples:%n",
    footer = {
      "  # The registry ids berth node reports",
      "  berth node",
      "  berth adopt unlabelled",
    },
    customSynopsis = "berth adopt REGISTRY [CONNECTION]",
    header = "Manage the workloads another registry made.",
    description = {
      "Berth manages only the workloads its own registry made: those another registry made (a registry file lost and made anew, another data directory) are reported by `berth node` with that registry's id and never touched.",
      "Adopting that registry hands them over: from then on the ones of services declared here are kept (or replaced if their spec differs), and the others are removed. REGISTRY is the id `berth node` shows, or `unlabelled` for workloads made by a Berth older than registry ids. It is recorded in the registry and cannot be undone.",
    })
final class AdoptCommand extends ClientCommand {

  @Parameters(
      paramLabel = "REGISTRY",
      description = "The registry id, as `berth node` lists it, or `unlabelled`.")
  String registry;

  @Override
  int run(AgentConnection agent) {
    AgentProto.AdoptRegistryResponse adopted =
        agent
            .call()
            .adoptRegistry(
                AgentProto.AdoptRegistryRequest.newBuilder().setRegistry(registry).build());
    String workloads = Formats.count(adopted.getWorkloads(), "workload", "workloads");
    out()
        .println(
            adopted.getAdopted()
                ? "registry "
                    + registry
                    + " adopted: "
                    + workloads
                    + " now managed by this agent's registry"
                : "registry " + registry + " was adopted already (" + workloads + " left)");
    return ExitCodes.OK;
  }
}
