package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.spec.selector.LabelSelector;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The services that stop, start, restart and delete act on: those named, or those whose labels
 * match {@code -l} on the agent (ListServices' label_selector, as kubectl lists by selector and
 * then acts on each). Each is acted on in turn and reported on its own line; a failure of one does
 * not keep the others from being acted on.
 */
final class ServiceSelection {

  /** What -l says in every command's help. */
  static final String SELECTOR_HELP =
      "Act on every service whose labels match SELECTOR (kubectl's syntax: tier=web,env!=prod,"
          + " tier, !legacy, env in (a,b), env notin (a,b)); instead of SERVICE.";

  private final List<String> names;
  private final String selector;

  private ServiceSelection(List<String> names, String selector) {
    this.names = List.copyOf(names);
    this.selector = selector;
  }

  /**
   * The selection the command line asks for: names or a selector, never both, never neither.
   *
   * @throws ParameterException a usage error saying which
   */
  static ServiceSelection of(CommandLine command, List<String> names, String selector) {
    boolean named = names != null && !names.isEmpty();
    if (named && selector != null) {
      throw new ParameterException(
          command, "give SERVICE names or -l SELECTOR, not both: -l acts on every match");
    }
    if (!named && selector == null) {
      throw new ParameterException(command, "give a SERVICE name or -l SELECTOR");
    }
    if (selector != null) {
      parse(command, selector);
    }
    return new ServiceSelection(named ? names : List.of(), selector);
  }

  /**
   * {@code text} as a selector, or a usage error naming {@code --selector}: checked here so that a
   * typing error is a usage error before the agent is asked (which checks it again).
   */
  static LabelSelector parse(CommandLine command, String text) {
    if (text.isBlank()) {
      throw new ParameterException(
          command, "--selector: must not be empty (to select every service, name none)");
    }
    try {
      return LabelSelector.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command, "--selector: " + e.getMessage());
    }
  }

  /**
   * Runs {@code action} on each selected service, printing {@code NAME done} after each that
   * succeeded.
   *
   * @return {@link ExitCodes#OK} when every one succeeded; else the exit code of the first failure;
   *     {@link ExitCodes#NOT_FOUND} when the selector matched no service
   */
  int forEach(
      AgentConnection agent,
      PrintWriter out,
      PrintWriter err,
      String done,
      Consumer<String> action) {
    List<String> targets = names;
    if (selector != null) {
      targets =
          agent
              .call()
              .listServices(
                  AgentProto.ListServicesRequest.newBuilder().setLabelSelector(selector).build())
              .getServicesList()
              .stream()
              .map(service -> service.getSpec().getName())
              .toList();
      if (targets.isEmpty()) {
        err.println("error: no service matches -l " + selector);
        return ExitCodes.NOT_FOUND;
      }
    }
    int exit = ExitCodes.OK;
    for (String name : targets) {
      try {
        action.accept(name);
        out.println(name + " " + done);
      } catch (StatusRuntimeException e) {
        if (!aboutTheService(e.getStatus().getCode())) {
          throw e; // the agent, not this service: the others would fail alike
        }
        int code =
            AgentErrors.report(
                e, agent.target(), agent.callTimeout(), UnaryOperator.identity(), err);
        exit = exit == ExitCodes.OK ? code : exit;
      }
      out.flush();
    }
    return exit;
  }

  /** Whether a failure is the service's own (the next one may succeed). */
  private static boolean aboutTheService(Status.Code code) {
    return switch (code) {
      case NOT_FOUND, ABORTED, FAILED_PRECONDITION, INVALID_ARGUMENT -> true;
      default -> false;
    };
  }
}
