package dev.berth.core.controller;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts and stops several controllers as one, and answers for their health: healthy while every
 * controller runs with all its workers, ready once every controller has reconciled each of its keys
 * at least once. What an agent's {@code /healthz} and {@code /readyz} report.
 */
public final class Manager {

  private static final System.Logger LOG = System.getLogger(Manager.class.getName());

  private final List<Controller<?>> controllers;
  private boolean started;

  public Manager(List<Controller<?>> controllers) {
    this.controllers = List.copyOf(controllers);
  }

  public static Manager of(Controller<?>... controllers) {
    return new Manager(List.of(controllers));
  }

  /** Starts the controllers in order; if one fails to start, stops those already started. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("manager was already started");
    }
    started = true;
    List<Controller<?>> running = new ArrayList<>();
    for (Controller<?> controller : controllers) {
      try {
        controller.start();
        running.add(controller);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "controller " + controller.name() + " failed to start", e);
        for (int i = running.size() - 1; i >= 0; i--) {
          running.get(i).stop(Duration.ofSeconds(10));
        }
        throw e;
      }
    }
  }

  /**
   * Stops the controllers in reverse order of start, all within one {@code timeout}.
   *
   * @return true if every controller drained its in-flight work in time
   */
  public synchronized boolean stop(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean drained = true;
    for (int i = controllers.size() - 1; i >= 0; i--) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      drained &= controllers.get(i).stop(left);
    }
    return drained;
  }

  public List<ControllerHealth> health() {
    return controllers.stream().map(Controller::health).toList();
  }

  /** Every controller runs with all of its workers alive. */
  public boolean isHealthy() {
    return health().stream().allMatch(ControllerHealth::healthy);
  }

  /** Healthy, and every controller has made its first full pass. */
  public boolean isReady() {
    return health().stream().allMatch(h -> h.healthy() && h.ready());
  }
}
