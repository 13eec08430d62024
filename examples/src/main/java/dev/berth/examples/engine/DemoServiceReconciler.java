package dev.berth.examples.engine;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.core.reconcile.TerminalException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes what runs for a service match its declared spec.
 *
 * <p>Level-based: each call reads the declared spec and the running workload afresh and trusts
 * nothing else (not why the key was enqueued, not what an earlier call did), so calling it twice
 * does no more than calling it once. A runtime failure simply propagates: the engine retries the
 * key with backoff, and the retry starts again from the two states.
 */
final class DemoServiceReconciler implements Reconciler<String> {

  /**
   * What the reconciler did, counted over a run.
   *
   * @param applied reconciles that (re)started a workload because it was missing or differed
   * @param unchanged reconciles that found the workload right and ready, and did nothing
   * @param warmingUp reconciles that found the right workload not ready yet, and asked to look
   *     again
   */
  record Tally(long applied, long unchanged, long warmingUp) {}

  private final Declared declared;
  private final SimulatedRuntime runtime;
  private final Duration readinessPoll;

  private final LongAdder applied = new LongAdder();
  private final LongAdder unchanged = new LongAdder();
  private final LongAdder warmingUp = new LongAdder();

  DemoServiceReconciler(Declared declared, SimulatedRuntime runtime, Duration readinessPoll) {
    this.declared = declared;
    this.runtime = runtime;
    this.readinessPoll = readinessPoll;
  }

  @Override
  public Result reconcile(String key) {
    Optional<Spec> declaredSpec = declared.get(key);
    if (declaredSpec.isEmpty()) {
      // No longer declared: whatever still runs for it must go. (The demo never undeclares a
      // key, but a level-based reconciler handles every state it may read.)
      if (runtime.inspect(key).isPresent()) {
        runtime.remove(key);
      }
      return Result.done();
    }
    Spec spec = declaredSpec.get();
    Optional<String> problem = spec.problem();
    if (problem.isPresent()) {
      // Checked before touching the runtime: bad input changes nothing.
      throw new TerminalException(problem.get());
    }
    Optional<SimulatedWorkload> found = runtime.inspect(key);
    boolean right = found.isPresent() && found.get().spec().equals(spec);
    SimulatedWorkload workload = right ? found.get() : runtime.apply(key, spec);
    if (!right) {
      applied.increment();
    }
    if (!workload.readyAt(System.nanoTime())) {
      // Not a failure, and no thread waits: just look again soon.
      warmingUp.increment();
      return Result.requeueAfter(readinessPoll);
    }
    if (right) {
      unchanged.increment();
    }
    return Result.done();
  }

  Tally tally() {
    return new Tally(applied.sum(), unchanged.sum(), warmingUp.sum());
  }
}
