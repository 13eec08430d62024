package dev.berth.examples.engine;

import dev.berth.core.controller.ReconcileOutcome;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a {@link DemoReport} for people: what happened, in the engine's own metric names. */
final class Summary {

  private Summary() {}

  /**
   * @param mutedWarnings how many of the controller's warnings the console did not show
   */
  static void print(PrintStream out, DemoReport report, int mutedWarnings) {
    EngineNumbers engine = report.engine();
    DemoServiceReconciler.Tally tally = report.reconciler();

    out.println();
    out.println("=== summary " + "=".repeat(76));
    line(
        out,
        "services",
        "%s declared: %s converged, %d parked",
        DemoFormat.count(report.keys()),
        DemoFormat.count(report.converged()),
        report.parked().size());
    line(out, "time", "%s in all; %s", DemoFormat.at(report.total()), initialPass(report));

    line(
        out,
        "reconciles",
        "controller_runtime_reconcile_total: %s",
        engine.reconciles().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(entry -> label(entry.getKey()) + " " + DemoFormat.count(entry.getValue()))
            .collect(Collectors.joining("  ")));
    line(
        out,
        "",
        "the reconciler started %s workloads, found %s already right, waited %s times for a"
            + " warm-up;",
        DemoFormat.count(tally.applied()),
        DemoFormat.count(tally.unchanged()),
        DemoFormat.count(tally.warmingUp()));
    line(
        out,
        "",
        "keys held back by the boot stages are not reconciles: the gate rechecks them as a group");

    line(
        out,
        "failures",
        "%s injected runtime faults -> error %s -> workqueue_retries_total %s (backoff per key)",
        DemoFormat.count(report.injectedFaults()),
        DemoFormat.count(engine.reconciles(ReconcileOutcome.ERROR)),
        DemoFormat.count(engine.retries()));
    if (mutedWarnings > 0) {
      line(
          out,
          "",
          "(%s of the controller's warnings about failed reconciles were muted on the console)",
          DemoFormat.count(mutedWarnings));
    }
    line(
        out,
        "queue",
        "workqueue_adds_total %s; wait in queue mean %s, max %s; reconcile mean %s, max %s",
        DemoFormat.count(engine.adds()),
        DemoFormat.duration(engine.queueWaitMean()),
        DemoFormat.duration(engine.queueWaitMax()),
        DemoFormat.duration(engine.reconcileMean()),
        DemoFormat.duration(engine.reconcileMax()));
    line(out, "resyncs", "every key listed at %s", listings(report.resyncs()));

    line(
        out,
        "parked",
        "terminal %s; parked keys wait for a new spec, even resyncs skip them:",
        DemoFormat.count(engine.reconciles(ReconcileOutcome.TERMINAL_ERROR)));
    for (DemoReport.Parked parked : report.parked()) {
      line(out, "", "  %-12s %s", parked.key(), parked.problem());
    }
    if (report.fix() != null) {
      DemoReport.Fix fix = report.fix();
      line(
          out,
          "fixed",
          "%s (%s): new spec running %s later; parked keys %d -> %d",
          fix.key(),
          fix.problem(),
          fix.latency() == null ? "never" : DemoFormat.duration(fix.latency()),
          fix.parkedBefore(),
          fix.parkedAfter());
    }

    DemoReport.FreshChanges changes = report.changes();
    line(
        out,
        "fresh",
        "%d/%d changes made while ~%s keys waited reached the runtime after p50 %s, p90 %s,"
            + " max %s",
        changes.latencies().size(),
        changes.injected(),
        DemoFormat.count(changes.meanQueueDepth()),
        DemoFormat.duration(changes.percentile(0.5)),
        DemoFormat.duration(changes.percentile(0.9)),
        DemoFormat.duration(changes.percentile(1)));

    if (report.drift() != null) {
      DemoReport.DriftRepair drift = report.drift();
      line(
          out,
          "drift",
          "%d workloads changed at %s (%s); %s",
          drift.workloads(),
          DemoFormat.at(drift.at()),
          drift.kinds().entrySet().stream()
              .map(kind -> kind.getValue() + " " + kind.getKey().label())
              .collect(Collectors.joining(", ")),
          repair(drift, report.resyncs()));
    }

    if (report.succeeded()) {
      line(
          out,
          "result",
          "OK: every service that can run is converged, bad specs are parked, clean stop");
    } else {
      line(out, "result", "FAILED:");
      for (String problem : report.problems()) {
        line(out, "", "  - %s", problem);
      }
    }
  }

  /** The result label, with terminal errors (counted under {@code error}) told apart. */
  private static String label(ReconcileOutcome outcome) {
    return outcome == ReconcileOutcome.TERMINAL_ERROR ? "error (terminal)" : outcome.tag();
  }

  private static String initialPass(DemoReport report) {
    if (report.initialPass() == null) {
      return "the initial pass did not finish";
    }
    String stages =
        report.stagesUp().entrySet().stream()
            .map(stage -> stage.getKey() + " " + DemoFormat.at(stage.getValue()))
            .collect(Collectors.joining(", "));
    return "initial pass done at "
        + DemoFormat.at(report.initialPass())
        + (stages.isEmpty() ? "" : " (boot stages up: " + stages + ", then the apps)");
  }

  /** Names the resync that found the drift: nothing else could have, no key was enqueued. */
  private static String repair(DemoReport.DriftRepair drift, List<Duration> resyncs) {
    if (drift.repairedAt() == null) {
      return "NOT repaired";
    }
    Duration resync =
        resyncs.stream().filter(at -> at.compareTo(drift.at()) > 0).findFirst().orElse(null);
    String repaired = "all repaired by " + DemoFormat.at(drift.repairedAt());
    if (resync == null || resync.compareTo(drift.repairedAt()) > 0) {
      return repaired + ", before the next resync: an earlier one still had them queued";
    }
    return repaired + ", after the resync at " + DemoFormat.at(resync) + " listed every key";
  }

  /** At most the first few times, so that a long run keeps to one line. */
  private static String listings(List<Duration> times) {
    int shown = 6;
    String first =
        times.stream().limit(shown).map(DemoFormat::at).collect(Collectors.joining(", "));
    return times.size() <= shown ? first : first + ", ... (" + times.size() + " listings)";
  }

  private static void line(PrintStream out, String label, String format, Object... args) {
    out.printf(Locale.ROOT, "%-11s %s%n", label, String.format(Locale.ROOT, format, args));
  }
}
