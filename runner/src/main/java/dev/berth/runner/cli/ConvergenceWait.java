package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.spec.status.ComponentPhase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code apply --wait}: polls the applied services until each has converged ({@link Convergence}),
 * one fails, or time runs out. Prints a line whenever a component changes state, then a summary.
 *
 * <p>A failure must be seen in {@value #CONFIRMATIONS} answers in a row before the wait gives up on
 * it: a condition can flap while a reconcile is halfway through (a certificate being renewed, a
 * route being republished), and stopping a deploy on a false alarm is worse than 250 ms more.
 */
final class ConvergenceWait {

  /** Often enough to show progress live, rarely enough to cost the agent nothing. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  /** How many answers in a row must show the same failure. */
  static final int CONFIRMATIONS = 2;

  /** The last events shown for a service that failed or timed out. */
  static final int EVENTS = 5;

  /**
   * A service to wait for.
   *
   * @param service its name
   * @param generation the generation the apply gave it; 0 for whatever it has when asked
   */
  record Target(String service, long generation) {}

  private final AgentConnection agent;
  private final Clock clock;
  private final PrintWriter progress;
  private final PrintWriter err;
  private final Duration limit;
  private final Duration pollInterval;

  private final Map<String, String> lastStates = new HashMap<>();
  private final Map<String, String> failureKeys = new HashMap<>();
  private final Map<String, Integer> failureCounts = new HashMap<>();

  /**
   * @param progress where progress lines and the summary of success go (stdout, or stderr when
   *     stdout carries JSON)
   * @param err where the explanation of a failure or a timeout goes
   * @param limit how long to wait in all
   */
  ConvergenceWait(
      AgentConnection agent,
      Clock clock,
      PrintWriter progress,
      PrintWriter err,
      Duration limit,
      Duration pollInterval) {
    this.agent = agent;
    this.clock = clock;
    this.progress = progress;
    this.err = err;
    this.limit = limit;
    this.pollInterval = pollInterval;
  }

  /** Waits; returns the exit code: 0 all converged, 1 one failed, 7 out of time. */
  int await(List<Target> targets) throws InterruptedException {
    Instant start = clock.instant();
    Instant deadline = start.plus(limit);
    Map<String, Target> pending = new LinkedHashMap<>();
    targets.forEach(t -> pending.put(t.service(), t));
    Map<String, AgentProto.Service> lastAnswers = new HashMap<>();
    Map<String, Convergence.Verdict> lastVerdicts = new HashMap<>();
    while (true) {
      for (Target target : List.copyOf(pending.values())) {
        AgentProto.Service service;
        try {
          service = get(target.service(), deadline);
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
              && !clock.instant().isBefore(deadline)) {
            return timedOut(pending, lastAnswers, lastVerdicts);
          }
          throw e;
        }
        long generation = target.generation() > 0 ? target.generation() : service.getGeneration();
        reportStates(service, generation);
        Convergence.Verdict verdict = Convergence.judge(service, generation);
        lastAnswers.put(target.service(), service);
        lastVerdicts.put(target.service(), verdict);
        switch (verdict.phase()) {
          case CONVERGED:
            pending.remove(target.service());
            progress.println(target.service() + " converged");
            break;
          case FAILING:
            if (confirmed(target.service(), verdict)) {
              return failed(target.service(), service, verdict, start);
            }
            break;
          default:
            failureKeys.remove(target.service());
            break;
        }
        progress.flush();
      }
      if (pending.isEmpty()) {
        progress.println(
            Formats.count(targets.size(), "service", "services")
                + " converged in "
                + Durations.seconds(Duration.between(start, clock.instant())));
        progress.flush();
        return ExitCodes.OK;
      }
      Duration remaining = Duration.between(clock.instant(), deadline);
      if (remaining.isNegative() || remaining.isZero()) {
        return timedOut(pending, lastAnswers, lastVerdicts);
      }
      Thread.sleep(Math.min(pollInterval.toMillis(), remaining.toMillis()));
    }
  }

  private AgentProto.Service get(String name, Instant deadline) {
    Duration remaining = Duration.between(clock.instant(), deadline);
    Duration callDeadline =
        remaining.compareTo(agent.callTimeout()) < 0 ? remaining : agent.callTimeout();
    if (callDeadline.isNegative() || callDeadline.isZero()) {
      throw Status.DEADLINE_EXCEEDED.asRuntimeException();
    }
    return agent
        .call(callDeadline)
        .getService(
            AgentProto.GetServiceRequest.newBuilder().setName(name).setEvents(EVENTS).build());
  }

  /** Prints {@code hello/web: creating -> running} for each component whose state changed. */
  private void reportStates(AgentProto.Service service, long generation) {
    for (AgentProto.ComponentStatus status : service.getComponentsList()) {
      if (status.getObservedGeneration() < generation) {
        // Still the previous spec's state: not this apply's progress.
        continue;
      }
      String key = service.getSpec().getName() + "/" + status.getComponent();
      String state = status.getState();
      String before = lastStates.put(key, state);
      if (state.equals(before)) {
        continue;
      }
      String detail =
          ComponentPhase.RUNNING.wire().equals(state) || status.getMessage().isEmpty()
              ? ""
              : " (" + status.getMessage() + ")";
      progress.println(key + ": " + (before == null ? "" : before + " -> ") + state + detail);
    }
  }

  private boolean confirmed(String service, Convergence.Verdict verdict) {
    if (!verdict.failureKey().equals(failureKeys.put(service, verdict.failureKey()))) {
      failureCounts.put(service, 1);
    } else {
      failureCounts.merge(service, 1, Integer::sum);
    }
    return failureCounts.get(service) >= CONFIRMATIONS;
  }

  private int failed(
      String name, AgentProto.Service service, Convergence.Verdict verdict, Instant start) {
    progress.flush();
    err.println(
        "error: "
            + name
            + " failed after "
            + Durations.seconds(Duration.between(start, clock.instant()))
            + ": "
            + verdict.reason());
    ServiceDetails.printEvents("Last events of " + name, service.getEventsList(), err);
    err.flush();
    return ExitCodes.FAILED;
  }

  private int timedOut(
      Map<String, Target> pending,
      Map<String, AgentProto.Service> lastAnswers,
      Map<String, Convergence.Verdict> lastVerdicts) {
    progress.flush();
    err.println(
        "error: timed out after "
            + Durations.written(limit)
            + "; still waiting for "
            + String.join(", ", pending.keySet()));
    for (String name : pending.keySet()) {
      Convergence.Verdict verdict = lastVerdicts.get(name);
      err.println(
          name + ": " + (verdict == null ? "no answer from the agent yet" : verdict.reason()));
      AgentProto.Service service = lastAnswers.get(name);
      if (service != null) {
        ServiceDetails.printEvents("Last events of " + name, service.getEventsList(), err);
      }
    }
    err.flush();
    return ExitCodes.TIMED_OUT;
  }
}
