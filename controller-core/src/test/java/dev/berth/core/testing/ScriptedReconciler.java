package dev.berth.core.testing;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.core.reconcile.TerminalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;

/**
 * A reconciler whose outcome for each key is scripted step by step; once a key's script runs out it
 * succeeds. Records every call, in order.
 */
public final class ScriptedReconciler implements Reconciler<String> {

  /** One scripted reconcile. */
  @FunctionalInterface
  public interface Step {
    Result run(String key) throws Exception;
  }

  private final Map<String, ConcurrentLinkedDeque<Step>> scripts = new ConcurrentHashMap<>();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  public ScriptedReconciler script(String key, Step... steps) {
    scripts.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addAll(List.of(steps));
    return this;
  }

  @Override
  public Result reconcile(String key) throws Exception {
    calls.add(key);
    var script = scripts.get(key);
    Step step = script == null ? null : script.pollFirst();
    return step == null ? Result.done() : step.run(key);
  }

  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public long callsFor(String key) {
    return calls().stream().filter(key::equals).count();
  }

  public static Step succeed() {
    return key -> Result.done();
  }

  public static Step fail() {
    return key -> {
      throw new IllegalStateException("scripted failure of " + key);
    };
  }

  public static Step terminal() {
    return key -> {
      throw new TerminalException("scripted terminal failure of " + key);
    };
  }

  public static Step requeueAfter(Duration delay) {
    return key -> Result.requeueAfter(delay);
  }

  public static Step backingOff(Duration delay) {
    return key -> Result.backingOff(delay);
  }

  public static Step error(Error error) {
    return key -> {
      throw error;
    };
  }

  /** Blocks, interruptibly, until the latch opens, then succeeds. */
  public static Step blockUntil(CountDownLatch latch) {
    return key -> {
      latch.await();
      return Result.done();
    };
  }
}
