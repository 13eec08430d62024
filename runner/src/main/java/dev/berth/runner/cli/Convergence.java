package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.reconcilers.service.ServiceReconciler;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import dev.berth.spec.status.ServiceConvergence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a service has become what an apply declared, judged from one answer of GetService.
 *
 * <p>Only what the agent observed at the applied generation (or later) counts: a component whose
 * {@code observed_generation} is older still describes the previous spec, so its "running" is not
 * convergence and its crash loop is not this apply's failure.
 *
 * <p>The judgement is the agent's: each component's state is a {@link ComponentState}, which says
 * whether it is ready and whether it is a failure, and the service's own {@link ServiceConvergence}
 * condition says whether everything (conditions included) is as declared, progressing, or failed,
 * with what is waited for or what failed. Nothing here re-derives the planner's rules (restart
 * policies, crash loops, which reasons are failures). The states are still read first: conditions
 * are written just after the states, so a Converged from the spec before may briefly sit beside
 * states of this one.
 */
final class Convergence {

  /** Where a service stands. */
  enum Phase {
    WAITING,
    CONVERGED,
    FAILING
  }

  /**
   * A judgement of one answer.
   *
   * @param phase where the service stands
   * @param reason what is waited for (WAITING) or what fails (FAILING); empty when converged
   * @param failureKey what fails, without the message (which may count restarts): the same failure
   *     seen in two answers has the same key; empty unless FAILING
   */
  record Verdict(Phase phase, String reason, String failureKey) {

    static final Verdict CONVERGED = new Verdict(Phase.CONVERGED, "", "");

    static Verdict waiting(List<String> what) {
      return new Verdict(Phase.WAITING, String.join("; ", what), "");
    }

    static Verdict failing(String reason, String key) {
      return new Verdict(Phase.FAILING, reason, key);
    }
  }

  /** A condition's status when it holds. */
  private static final String TRUE = "True";

  private Convergence() {}

  /**
   * Judges {@code service} against {@code generation}, the generation the apply gave it (0: the one
   * it has now).
   */
  static Verdict judge(AgentProto.Service service, long generation) {
    if (generation > 0 && service.getGeneration() > generation) {
      return superseded(service, generation);
    }
    long wanted = generation > 0 ? generation : service.getGeneration();
    boolean stopped = DesiredState.STOPPED.wire().equals(service.getSpec().getDesiredState());
    Map<String, AgentProto.ComponentStatus> statuses = new HashMap<>();
    service.getComponentsList().forEach(s -> statuses.put(s.getComponent(), s));

    List<String> waiting = new ArrayList<>();
    for (AgentProto.ComponentSpec component : service.getSpec().getComponentsList()) {
      String name = component.getName();
      AgentProto.ComponentStatus status = statuses.get(name);
      if (status == null) {
        waiting.add(name + ": " + ComponentPhase.PENDING.wire());
        continue;
      }
      if (status.getObservedGeneration() < wanted) {
        waiting.add(name + ": generation " + wanted + " not observed yet");
        continue;
      }
      ComponentState state = ComponentState.ofWire(status.getState()).orElse(null);
      if (!stopped && state != null && state.failure()) {
        return Verdict.failing(name + ": " + describe(status), name + "/state/" + state.wire());
      }
      boolean there = stopped ? state == ComponentPhase.STOPPED : state != null && state.ready();
      if (!there) {
        waiting.add(name + ": " + describe(status));
      }
    }
    if (!waiting.isEmpty()) {
      return Verdict.waiting(waiting);
    }
    AgentProto.Condition converged =
        service.getConditionsList().stream()
            .filter(c -> c.getComponent().isEmpty() && c.getType().equals(ServiceConvergence.TYPE))
            .findFirst()
            .orElse(null);
    if (converged == null) {
      return Verdict.waiting(List.of("no " + ServiceConvergence.TYPE + " condition reported yet"));
    }
    if (TRUE.equals(converged.getStatus())) {
      return Verdict.CONVERGED;
    }
    if (ServiceConvergence.ofReason(converged.getReason()).orElse(null)
        == ServiceConvergence.FAILED) {
      return Verdict.failing(
          converged.getMessage(), "/" + converged.getType() + "/" + converged.getMessage());
    }
    return Verdict.waiting(List.of(describe(converged)));
  }

  /**
   * The verdict on an applied generation that a newer one replaced before it converged: what ran
   * then is not what this apply declared, so the wait cannot end well. When the agent itself
   * replaced it, reverting an update that failed ({@code auto_revert}), its event says why; the
   * event's own words are matched ({@code generation N failed}), as that is all that ties it to
   * this generation.
   */
  private static Verdict superseded(AgentProto.Service service, long generation) {
    String failed = "generation " + generation + " failed";
    for (AgentProto.Event event : service.getEventsList()) {
      if (ServiceReconciler.AUTO_REVERTED.equals(event.getReason())
          && event.getMessage().contains(failed)) {
        return Verdict.failing(
            "generation " + generation + " was reverted: " + event.getMessage(),
            "/reverted/" + generation);
      }
    }
    return Verdict.failing(
        "generation "
            + generation
            + " is no longer declared: generation "
            + service.getGeneration()
            + " was declared meanwhile",
        "/superseded/" + generation);
  }

  private static String describe(AgentProto.ComponentStatus status) {
    return status.getState()
        + (status.getMessage().isEmpty() ? "" : " (" + status.getMessage() + ")");
  }

  /** What the Converged condition says is waited for; its type and reason if it says nothing. */
  private static String describe(AgentProto.Condition c) {
    return c.getMessage().isEmpty()
        ? c.getType() + " is " + c.getStatus() + ": " + c.getReason()
        : c.getMessage();
  }
}
