package dev.berth.runner.cli;

import dev.berth.proto.v1.ComponentSpec;
import dev.berth.proto.v1.ComponentStatus;
import dev.berth.proto.v1.Condition;
import dev.berth.proto.v1.Service;
import dev.berth.reconcilers.service.Exits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a service has become what an apply declared, judged from one answer of GetService.
 *
 * <p>Only what the agent observed at the applied generation (or later) counts: a component whose
 * {@code observed_generation} is older still describes the previous spec, so its "running" is not
 * convergence and its crash loop is not this apply's failure. For the same reason, a component's
 * conditions are only read once its status is current: the agent writes both from one reconcile.
 *
 * <p>A service declared running has converged when every declared component is {@code running} and
 * every condition reported for it (Ready, CertificateReady, ...) and for the service is True. A
 * service declared stopped has converged when every component is {@code stopped}.
 *
 * <p>Failures are what will not heal by waiting: a runtime failure the agent marks terminal (an
 * image missing, a name in use by a workload Berth does not own, a spec invalid for its runtime), a
 * crash loop, a component that exited and whose restart policy keeps it exited, a condition False
 * for a reason ending in {@code Failed} (IssuanceFailed, RoutesFailed...). Pending certificates,
 * images being pulled and failures the agent retries (a port taken) are waited for.
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

  private Convergence() {}

  /**
   * Judges {@code service} against {@code generation}, the generation the apply gave it (0: the one
   * it has now).
   */
  static Verdict judge(Service service, long generation) {
    long wanted = generation > 0 ? generation : service.getGeneration();
    boolean stopped = "stopped".equals(service.getSpec().getDesiredState());
    Map<String, ComponentStatus> statuses = new HashMap<>();
    service.getComponentsList().forEach(s -> statuses.put(s.getComponent(), s));
    Map<String, List<Condition>> conditions = new HashMap<>();
    service
        .getConditionsList()
        .forEach(c -> conditions.computeIfAbsent(c.getComponent(), k -> new ArrayList<>()).add(c));

    List<String> waiting = new ArrayList<>();
    boolean allCurrent = true;
    for (ComponentSpec component : service.getSpec().getComponentsList()) {
      String name = component.getName();
      ComponentStatus status = statuses.get(name);
      if (status == null) {
        waiting.add(name + ": pending");
        allCurrent = false;
        continue;
      }
      if (status.getObservedGeneration() < wanted) {
        waiting.add(name + ": generation " + wanted + " not observed yet");
        allCurrent = false;
        continue;
      }
      if (stopped) {
        if (!"stopped".equals(status.getState())) {
          waiting.add(name + ": " + describe(status));
        }
        continue;
      }
      List<Condition> own = conditions.getOrDefault(name, List.of());
      Verdict failure = failure(component, status, own);
      if (failure != null) {
        return failure;
      }
      if (!"running".equals(status.getState())) {
        waiting.add(name + ": " + describe(status));
        continue;
      }
      own.stream().filter(c -> !isTrue(c)).forEach(c -> waiting.add(name + ": " + describe(c)));
    }
    if (!stopped && allCurrent) {
      for (Condition c : conditions.getOrDefault("", List.of())) {
        if (isFailure(c)) {
          return Verdict.failing(
              service.getSpec().getName() + ": " + describe(c),
              "/" + c.getType() + "/" + c.getReason());
        }
        if (!isTrue(c)) {
          waiting.add(describe(c));
        }
      }
    }
    return waiting.isEmpty() ? Verdict.CONVERGED : Verdict.waiting(waiting);
  }

  private static Verdict failure(
      ComponentSpec component, ComponentStatus status, List<Condition> conditions) {
    String name = component.getName();
    if (status.getTerminal()) {
      return Verdict.failing(name + ": " + describe(status), name + "/state/" + status.getState());
    }
    if (isCrashLoop(status.getState())) {
      return Verdict.failing(name + ": " + describe(status), name + "/state/CrashLoopBackOff");
    }
    if ("exited".equals(status.getState()) && !restarts(component.getRestart(), status)) {
      return Verdict.failing(
          name
              + ": "
              + Exits.describe(status.hasExitCode() ? status.getExitCode() : null)
              + " and its restart policy \""
              + (component.getRestart().isEmpty() ? "no" : component.getRestart())
              + "\" keeps it exited",
          name + "/state/exited");
    }
    for (Condition c : conditions) {
      if (isFailure(c)) {
        return Verdict.failing(
            name + ": " + describe(c), name + "/" + c.getType() + "/" + c.getReason());
      }
    }
    return null;
  }

  /** The planner says CrashLoopBackOff; the API's comment spells it crash-loop-backoff. */
  static boolean isCrashLoop(String state) {
    return state.replace("-", "").toLowerCase(Locale.ROOT).equals("crashloopbackoff");
  }

  /** Whether the agent will start an exited workload again, as its restart policy says. */
  private static boolean restarts(String policy, ComponentStatus status) {
    switch (policy) {
      case "always":
      case "unless-stopped":
        return true;
      case "on-failure":
        return !status.hasExitCode() || status.getExitCode() != 0;
      default:
        return false;
    }
  }

  private static boolean isFailure(Condition c) {
    return "False".equals(c.getStatus())
        && (c.getReason().endsWith("Failed") || isCrashLoop(c.getReason()));
  }

  private static boolean isTrue(Condition c) {
    return "True".equals(c.getStatus());
  }

  private static String describe(ComponentStatus status) {
    return status.getState()
        + (status.getMessage().isEmpty() ? "" : " (" + status.getMessage() + ")");
  }

  private static String describe(Condition c) {
    return c.getType()
        + " is "
        + c.getStatus()
        + (c.getReason().isEmpty() ? "" : ": " + c.getReason())
        + (c.getMessage().isEmpty() ? "" : " (" + c.getMessage() + ")");
  }
}
