package dev.berth.core.stage;

import dev.berth.core.time.Clock;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered start-up as readiness gates: keys of stage N+1 are admitted only once stage N passes
 * its readiness check (or, if it is not required, once its timeout has run out). Keys that belong
 * to no stage are always admitted.
 *
 * <p>Nothing here waits: {@link #admit} answers at once, and a controller holds a key that is not
 * admitted and asks again later (see {@code Controller.Builder.gate}). Readiness is checked lazily,
 * when a later key asks or when {@link #progress()} is read, so an idle gate costs nothing. Passing
 * is final: these gates order a start-up; keeping services healthy afterwards is another loop's
 * job.
 *
 * @param <K> the key type
 */
public final class OrderedStages<K> implements Gate<K> {

  private static final System.Logger LOG = System.getLogger(OrderedStages.class.getName());

  private final List<Stage<K>> stages;
  private final Clock clock;
  private final StageListener listener;

  // Guarded by this; indexed like stages.
  private final StagePhase[] phases;
  private final long[] startedAt;
  private final String[] reasons;

  /**
   * Stages that run in the order of {@code stages} (names unique), timed by {@code clock}, telling
   * {@code listener} of every change of phase.
   */
  public OrderedStages(List<Stage<K>> stages, Clock clock, StageListener listener) {
    this.stages = List.copyOf(stages);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.phases = new StagePhase[this.stages.size()];
    this.startedAt = new long[this.stages.size()];
    this.reasons = new String[this.stages.size()];
    for (int i = 0; i < phases.length; i++) {
      phases[i] = StagePhase.PENDING;
      reasons[i] = i == 0 ? "not started" : "waits for stage " + this.stages.get(i - 1).name();
    }
    long distinct = this.stages.stream().map(Stage::name).distinct().count();
    if (distinct != this.stages.size()) {
      throw new IllegalArgumentException("stage names must be unique");
    }
  }

  /**
   * Stages that run in the order of {@code stages} (names unique), timed by {@code clock}, with no
   * listener.
   */
  public OrderedStages(List<Stage<K>> stages, Clock clock) {
    this(stages, clock, StageListener.NONE);
  }

  /**
   * Whether {@code key} may be reconciled now. Admitting a key of a stage starts that stage's
   * timeout, if it had not started yet.
   */
  @Override
  public synchronized Admission admit(K key) {
    int own = stageOf(key);
    if (own < 0) {
      return Admission.GRANTED;
    }
    for (int i = 0; i < own; i++) {
      if (!letsNextStageIn(i)) {
        return Admission.waitingFor(stages.get(i).name(), reasons[i]);
      }
    }
    startIfPending(own);
    return Admission.GRANTED;
  }

  /**
   * Every stage's phase, after checking the readiness of stages that are starting, up to the first
   * one that holds the rest back.
   */
  public synchronized List<StageStatus> progress() {
    for (int i = 0; i < stages.size(); i++) {
      if (!letsNextStageIn(i)) {
        break;
      }
    }
    List<StageStatus> statuses = new ArrayList<>(stages.size());
    for (int i = 0; i < stages.size(); i++) {
      statuses.add(new StageStatus(stages.get(i).name(), phases[i], reasons[i]));
    }
    return statuses;
  }

  /** True once every stage has passed or been skipped. */
  public synchronized boolean complete() {
    return progress().stream().allMatch(status -> status.phase().letsNextStageIn());
  }

  private int stageOf(K key) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).members().test(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Precondition: every stage before {@code i} lets the next one in. */
  private boolean letsNextStageIn(int i) {
    if (phases[i].letsNextStageIn()) {
      return true;
    }
    startIfPending(i);
    Stage<K> stage = stages.get(i);
    Readiness readiness = check(stage);
    if (readiness.ready()) {
      change(i, StagePhase.PASSED, readiness.reason());
      return true;
    }
    reasons[i] = readiness.reason();
    boolean timedOut =
        stage.timeout() != null && clock.nanoTime() - startedAt[i] >= stage.timeout().toNanos();
    if (timedOut) {
      String why = "not ready after " + stage.timeout() + ": " + readiness.reason();
      if (!stage.required()) {
        change(i, StagePhase.SKIPPED, why);
        return true;
      }
      if (phases[i] != StagePhase.FAILED) {
        change(i, StagePhase.FAILED, why);
      }
    }
    return false;
  }

  private void startIfPending(int i) {
    if (phases[i] == StagePhase.PENDING) {
      startedAt[i] = clock.nanoTime();
      change(i, StagePhase.STARTING, "waiting for readiness");
    }
  }

  private static Readiness check(Stage<?> stage) {
    try {
      return Objects.requireNonNull(stage.readiness().check(), "readiness check returned null");
    } catch (Exception e) {
      return Readiness.notReady(e.toString());
    }
  }

  private void change(int i, StagePhase to, String reason) {
    StagePhase from = phases[i];
    phases[i] = to;
    reasons[i] = reason;
    Level level = to == StagePhase.SKIPPED || to == StagePhase.FAILED ? Level.WARNING : Level.INFO;
    LOG.log(level, "stage {0}: {1} -> {2} ({3})", stages.get(i).name(), from, to, reason);
    listener.phaseChanged(stages.get(i).name(), from, to, reason);
  }
}
