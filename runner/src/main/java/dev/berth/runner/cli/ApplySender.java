package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.runner.api.ProtoSpecs;
import dev.berth.store.file.LoadedService;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the services of definition files in one {@code ApplyRequest}, for {@code apply} and {@code
 * diff} (a dry run): with {@code --skip-other-nodes}, only those for the agent's node; a refusal is
 * reported with the files' names in place of {@code services[i]}, and a hint where one helps.
 */
final class ApplySender {

  /** What the agent says of a service for another node. */
  private static final String OTHER_NODE = "node: must be this node";

  /**
   * What one send gave: the agent's answer, or the exit code of its refusal (already reported).
   *
   * @param response null when the agent refused
   */
  record Sent(AgentProto.ApplyResponse response, int exitCode) {}

  private final AgentConnection agent;
  private final PrintWriter notes;
  private final PrintWriter err;

  /**
   * @param notes where the services skipped for another node are named
   */
  ApplySender(AgentConnection agent, PrintWriter notes, PrintWriter err) {
    this.agent = agent;
    this.notes = notes;
    this.err = err;
  }

  /**
   * Sends {@code services} in {@code request} (whose options and source are set).
   *
   * @param skipOtherNodes send only those for the agent's node, naming the others on {@code notes}
   */
  Sent send(
      AgentProto.ApplyRequest.Builder request,
      List<LoadedService> services,
      boolean skipOtherNodes) {
    List<LoadedService> sent = skipOtherNodes ? servicesOfThisNode(services) : services;
    sent.forEach(s -> request.addServices(ProtoSpecs.toProto(s.spec())));
    try {
      return new Sent(agent.call().apply(request.build()), ExitCodes.OK);
    } catch (StatusRuntimeException e) {
      int code =
          AgentErrors.report(e, agent.target(), agent.callTimeout(), new ServicePaths(sent), err);
      if (String.valueOf(e.getStatus().getDescription()).contains(OTHER_NODE)) {
        err.println("hint: --skip-other-nodes applies the services for this node only");
      }
      return new Sent(null, code);
    }
  }

  /** The services for the agent's node; the others are named on the way, and left out. */
  private List<LoadedService> servicesOfThisNode(List<LoadedService> services) {
    String node =
        agent.call().nodeStatus(AgentProto.NodeStatusRequest.getDefaultInstance()).getNode();
    List<LoadedService> kept = new ArrayList<>();
    for (LoadedService service : services) {
      String declared = service.spec().node();
      if (declared == null || declared.equalsIgnoreCase(node)) {
        kept.add(service);
      } else {
        notes.println(
            service.spec().name()
                + " skipped: declared for node "
                + declared
                + " ("
                + service.file()
                + "), this is "
                + node);
      }
    }
    return kept;
  }
}
