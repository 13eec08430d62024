package dev.berth.examples.engine;

import dev.berth.core.controller.Controller;
import io.micrometer.core.instrument.Counter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One run of the demo, as a story: a node boots in order, thousands of services converge while
 * fresh changes overtake the backlog, drift is repaired by the periodic resync, a parked bad spec
 * is fixed, and the engine stops. Prints progress as it goes and returns what it measured.
 */
final class DemoRun {

  static final int FRESH_CHANGES = 20;

  private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
  private static final Duration POLL = Duration.ofMillis(5);
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration FIX_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** The fresh changes made, before their latencies are known. */
  private record Injected(List<String> keys, int meanQueueDepth) {}

  private final DemoOptions options;
  private final PrintStream out;
  private final Stopwatch stopwatch;
  private final SimulatedNode node;
  private final Declared declared;
  private final ConvergenceReferee convergence;
  private final Controller<String> controller;
  private final ChangeProbe probe;
  private final ProgressPrinter progress;
  // Its own stream, so that picking keys for experiments never shifts the scenario's draws.
  private final Random random;
  private final List<String> problems = new ArrayList<>();

  DemoRun(DemoOptions options, PrintStream out, Stopwatch stopwatch) {
    this.options = options;
    this.out = out;
    this.stopwatch = stopwatch;
    this.node = SimulatedNode.wire(options);
    this.declared = node.declared();
    this.convergence = node.convergence();
    this.controller = node.controller();
    this.probe = new ChangeProbe(declared, controller);
    node.runtime().onApply(probe::applied);
    Counter retries =
        node.registry().get("workqueue.retries").tag("name", SimulatedNode.CONTROLLER).counter();
    ProgressLine line = new ProgressLine(convergence, controller, retries, node.stages());
    this.progress = new ProgressPrinter(out, stopwatch, line::render, PROGRESS_INTERVAL);
    this.random = new Random(options.seed() + 1);
  }

  DemoReport run() {
    announce();
    progress.start();
    node.manager().start();

    Injected injected = injectFreshChanges();
    Duration initialPass = awaitInitialPass();
    DemoReport.FreshChanges changes = measured(injected);
    DemoReport.DriftRepair drift = initialPass == null ? null : driftAndResync();
    DemoReport.Fix fix = initialPass == null ? null : fixOneBadSpec();

    int canConverge = convergence.expected();
    int converged = convergence.count();
    int parkedByController = controller.health().parkedKeys();
    boolean healthy = node.manager().isHealthy();
    progress.stop();
    progress.printNow();
    say("stopping the controller");
    boolean drained = node.manager().stop(STOP_TIMEOUT);

    List<DemoReport.Parked> parked = stillParked();
    if (converged != canConverge) {
      problems.add(converged + " of " + canConverge + " services that can run are converged");
    }
    if (parkedByController != parked.size()) {
      problems.add(
          "the controller parks "
              + parkedByController
              + " keys, but "
              + parked.size()
              + " specs are invalid");
    }
    if (!healthy) {
      problems.add("a worker thread of the controller died");
    }
    if (!drained) {
      problems.add(
          "reconciles were still running " + DemoFormat.duration(STOP_TIMEOUT) + " after stop");
    }
    return new DemoReport(
        options,
        declared.size(),
        canConverge,
        converged,
        stopwatch.elapsed(),
        initialPass,
        stageTimes(),
        node.listings().times().stream().map(stopwatch::since).toList(),
        EngineNumbers.read(node.registry(), SimulatedNode.CONTROLLER),
        node.services().tally(),
        node.runtime().failedCalls(),
        parked,
        parkedByController,
        changes,
        drift,
        fix,
        List.copyOf(problems));
  }

  private void announce() {
    int apps = declared.size() - Scenario.DATABASES - Scenario.BROKERS;
    int asDeclared = 0;
    int different = 0;
    for (String key : declared.keys()) {
      SimulatedWorkload found = node.scenario().found().get(key);
      if (found != null && found.spec().equals(declared.get(key).orElse(null))) {
        asDeclared++;
      } else if (found != null) {
        different++;
      }
    }
    int missing = declared.size() - asDeclared - different;
    out.println(
        "Berth engine demo: one controller keeps "
            + DemoFormat.count(declared.size())
            + " simulated services as declared.");
    out.println("  " + options.describe());
    out.printf(
        Locale.ROOT,
        "  boot order: %s (%d) -> %s (%d) -> %s (%s, of which %d declared with a spec no retry"
            + " can fix)%n",
        StartupOrder.DATABASE,
        Scenario.DATABASES,
        StartupOrder.BROKER,
        Scenario.BROKERS,
        StartupOrder.APPS,
        DemoFormat.count(apps),
        node.scenario().invalidKeys().size());
    out.printf(
        Locale.ROOT,
        "  found on the node: %s running as declared, %s running something else, %s nothing%n",
        DemoFormat.count(asDeclared),
        DemoFormat.count(different),
        DemoFormat.count(missing));
  }

  /**
   * Once the boot admits the apps and they are back in the queue, changes a few specs one after the
   * other, each followed by an event naming its key, as a user's apply would.
   */
  private Injected injectFreshChanges() {
    if (!await(() -> node.stagesUp().containsKey(StartupOrder.BROKER), CONVERGE_TIMEOUT)) {
      problems.add("the boot never admitted the apps: stage " + StartupOrder.BROKER + " stuck");
      return new Injected(List.of(), 0);
    }
    // Held-back apps return to the queue within one recheck; let them, so there is a backlog.
    pause(options.timing().gateRecheck().plus(POLL));
    List<String> keys =
        pick(
            FRESH_CHANGES,
            declared.keys().stream()
                .filter(key -> key.startsWith(Scenario.APP))
                .filter(convergence::canConverge)
                .toList());
    say(
        "%d fresh changes, one every %s, while %s keys wait in the queue",
        keys.size(),
        DemoFormat.duration(options.timing().changeInterval()),
        DemoFormat.count(controller.health().queueDepth()));
    long depths = 0;
    for (String key : keys) {
      depths += controller.health().queueDepth();
      probe.change(key, declared.get(key).orElseThrow().nextPatch());
      pause(options.timing().changeInterval());
    }
    return new Injected(keys, (int) (depths / Math.max(1, keys.size())));
  }

  /** Waits until every key that can converge has, and every key that cannot is parked. */
  private Duration awaitInitialPass() {
    int invalid = node.scenario().invalidKeys().size();
    boolean done =
        await(
            () ->
                controller.health().parkedKeys() == invalid
                    && convergence.count() == convergence.expected(),
            CONVERGE_TIMEOUT);
    if (!done) {
      problems.add(
          String.format(
              Locale.ROOT,
              "the initial pass did not finish within %s: %d/%d converged, %d/%d parked",
              DemoFormat.duration(CONVERGE_TIMEOUT),
              convergence.count(),
              convergence.expected(),
              controller.health().parkedKeys(),
              invalid));
      return null;
    }
    Duration at = stopwatch.elapsed();
    say(
        "initial pass done: %s/%s converged; %d parked, their specs can never run",
        DemoFormat.count(convergence.count()), DemoFormat.count(declared.size()), invalid);
    return at;
  }

  private DemoReport.FreshChanges measured(Injected injected) {
    List<Duration> latencies =
        injected.keys().stream()
            .map(probe::latency)
            .flatMap(latency -> latency.stream())
            .sorted()
            .toList();
    DemoReport.FreshChanges changes =
        new DemoReport.FreshChanges(injected.keys().size(), injected.meanQueueDepth(), latencies);
    if (latencies.size() < changes.injected()) {
      problems.add(
          (changes.injected() - latencies.size()) + " fresh change(s) never reached the runtime");
    } else if (!latencies.isEmpty()) {
      say(
          "the %d fresh changes reached the runtime after %s at the median, %s at most",
          latencies.size(),
          DemoFormat.duration(changes.percentile(0.5)),
          DemoFormat.duration(changes.percentile(1)));
    }
    return changes;
  }

  /** Changes workloads behind the controller's back, then waits for a resync to repair them. */
  private DemoReport.DriftRepair driftAndResync() {
    List<String> victims =
        pick(
            Math.max(6, declared.size() / 100),
            declared.keys().stream().filter(convergence::canConverge).toList());
    long at = System.nanoTime();
    Map<Drift.Kind, Integer> kinds = Drift.inflict(node.runtime(), victims);
    say(
        "drift: %d workloads changed behind the controller's back (%s); no event is sent",
        victims.size(),
        kinds.entrySet().stream()
            .map(kind -> kind.getValue() + " " + kind.getKey().label())
            .collect(Collectors.joining(", ")));
    Duration timeout = options.resyncPeriod().multipliedBy(3).plus(Duration.ofSeconds(5));
    boolean repaired = await(() -> convergence.allConverged(victims), timeout);
    Duration repairedAt = repaired ? stopwatch.elapsed() : null;
    if (repaired) {
      say("drift repaired: all %d workloads are as declared again", victims.size());
    } else {
      problems.add("drift was not repaired within " + DemoFormat.duration(timeout));
    }
    return new DemoReport.DriftRepair(kinds, stopwatch.since(at), repairedAt);
  }

  /** Gives a parked key a spec that can run: the change, not a retry, is what frees it. */
  private DemoReport.Fix fixOneBadSpec() {
    String key = node.scenario().invalidKeys().get(0);
    String problem = declared.get(key).flatMap(Spec::problem).orElse("none");
    int parkedBefore = controller.health().parkedKeys();
    say("fixing the spec of parked %s (%s) and enqueueing it", key, problem);
    probe.change(key, new Spec("1.0.0", 2));
    int parkedAfter = controller.health().parkedKeys();
    boolean converged = await(() -> convergence.converged(key), FIX_TIMEOUT);
    Duration latency = probe.latency(key).orElse(null);
    if (converged && latency != null) {
      say("%s runs its new spec, %s after the fix", key, DemoFormat.duration(latency));
    } else {
      problems.add(
          key + " did not converge within " + DemoFormat.duration(FIX_TIMEOUT) + " of its fix");
    }
    if (parkedAfter != parkedBefore - 1) {
      problems.add("enqueueing " + key + " did not unpark it");
    }
    return new DemoReport.Fix(key, problem, latency, parkedBefore, parkedAfter);
  }

  private List<DemoReport.Parked> stillParked() {
    List<DemoReport.Parked> parked = new ArrayList<>();
    for (String key : node.scenario().invalidKeys()) {
      declared
          .get(key)
          .flatMap(Spec::problem)
          .ifPresent(problem -> parked.add(new DemoReport.Parked(key, problem)));
    }
    return parked;
  }

  private Map<String, Duration> stageTimes() {
    Map<String, Duration> times = new LinkedHashMap<>();
    // Not the apps: the last stage gates nothing, and its readiness is only checked lazily.
    for (String stage : List.of(StartupOrder.DATABASE, StartupOrder.BROKER)) {
      Long at = node.stagesUp().get(stage);
      if (at != null) {
        times.put(stage, stopwatch.since(at));
      }
    }
    return times;
  }

  private List<String> pick(int n, Collection<String> from) {
    List<String> pool = new ArrayList<>(from);
    Collections.shuffle(pool, random);
    return List.copyOf(pool.subList(0, Math.min(n, pool.size())));
  }

  private void say(String format, Object... args) {
    out.println(stopwatch.stamp() + " >> " + String.format(Locale.ROOT, format, args));
  }

  /** Polls: the demo's driver may wait; the engine's threads never do. */
  private static boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      pause(POLL);
    }
    return true;
  }

  private static void pause(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }
}
