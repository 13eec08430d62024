package dev.berth.examples.engine;

import dev.berth.core.controller.Controller;
import dev.berth.core.controller.Manager;
import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.StagePhase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated node and the engine wired to keep it: the part of the demo an embedder of
 * controller-core would write. A reconciler run by a controller that is gated by ordered boot
 * stages, lists its own keys and reports to Micrometer, started and stopped by a manager.
 *
 * @param scenario what the node declares and what it ran at start
 * @param runtime the simulated runtime, holding what runs now
 * @param convergence the referee that judges the node from outside the engine
 * @param stages the boot order
 * @param stagesUp when each boot stage came up ({@link System#nanoTime()}), by name
 * @param services the reconciler
 * @param listings the controller's key lister
 * @param registry where the engine's metrics go
 * @param controller the one controller
 * @param manager starts and stops the controller, and answers for its health
 */
record SimulatedNode(
    Scenario scenario,
    SimulatedRuntime runtime,
    ConvergenceReferee convergence,
    OrderedStages<String> stages,
    Map<String, Long> stagesUp,
    DemoServiceReconciler services,
    Listings listings,
    SimpleMeterRegistry registry,
    Controller<String> controller,
    Manager manager) {

  static final String CONTROLLER = "services";

  static SimulatedNode wire(DemoOptions options) {
    Timing timing = options.timing();
    Scenario scenario = Scenario.generate(options.keys(), options.seed(), timing.warmUp());
    Declared declared = scenario.declared();
    SimulatedRuntime runtime =
        new SimulatedRuntime(
            new Faults(options.seed(), options.failureRate()), timing, scenario.warmUps());
    scenario.found().forEach(runtime::place);
    ConvergenceReferee convergence = new ConvergenceReferee(declared, runtime);

    Map<String, Long> stagesUp = new ConcurrentHashMap<>();
    OrderedStages<String> stages =
        StartupOrder.stages(
            declared,
            convergence,
            (stage, from, to, reason) -> {
              if (to == StagePhase.PASSED) {
                stagesUp.put(stage, System.nanoTime());
              }
            });
    DemoServiceReconciler services =
        new DemoServiceReconciler(declared, runtime, timing.readinessPoll());

    Listings listings = new Listings(declared);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Controller<String> controller =
        Controller.builder(CONTROLLER, services)
            .gate(stages)
            .gateRecheck(timing.gateRecheck())
            .workers(options.workers())
            .keyLister(listings)
            .resyncPeriod(options.resyncPeriod())
            .meterRegistry(registry)
            .build();
    return new SimulatedNode(
        scenario,
        runtime,
        convergence,
        stages,
        stagesUp,
        services,
        listings,
        registry,
        controller,
        Manager.of(controller));
  }

  Declared declared() {
    return scenario.declared();
  }
}
