package dev.berth.core.controller;

import dev.berth.core.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts and stops several controllers as one, and answers for their health: healthy while every
 * controller runs with all its workers, ready once every controller has reconciled each of its keys
 * at least once. What an agent's {@code /healthz} and {@code /readyz} report.
 *
 * <p>Built with {@link #builder()}, a manager also carries what its loops share, the engine clock
 * and the meter registry, so that each loop is added in one statement, as controller-runtime's
 * manager hands its controllers their cache and metrics:
 *
 * <pre>{@code
 * Manager.Builder loops = Manager.builder().clock(clock).meterRegistry(meters);
 * Controller<String> orders = loops.add(Controller.builder("orders", orderReconciler).workers(4));
 * Controller<String> invoices = loops.add(Controller.builder("invoices", invoiceLoop).workers(1));
 * Manager manager = loops.build();
 * }</pre>
 */
public final class Manager {

  private static final System.Logger LOG = System.getLogger(Manager.class.getName());

  private final List<Controller<?>> controllers;
  private boolean started;

  /** A manager of {@code controllers}, which start in this order and stop in reverse. */
  public Manager(List<Controller<?>> controllers) {
    this.controllers = List.copyOf(controllers);
  }

  /** Its loops, in the order they start. */
  public List<Controller<?>> controllers() {
    return controllers;
  }

  /** A manager of {@code controllers}, which start in this order and stop in reverse. */
  public static Manager of(Controller<?>... controllers) {
    return new Manager(List.of(controllers));
  }

  /** A manager whose loops share a clock and a meter registry, added one statement each. */
  public static Builder builder() {
    return new Builder();
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

  /** The health of each controller, in start order. */
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

  /**
   * The loops of a manager, and what they share. The shared settings apply to the loops added after
   * them; each replaces what the loop's own builder says, since loops that compare their delays
   * (one loop's gate timeout against another loop's backoff) must read one clock.
   */
  public static final class Builder {
    private Clock clock = Clock.system();
    private MeterRegistry meterRegistry;
    private final List<Controller<?>> controllers = new ArrayList<>();

    private Builder() {}

    /** Default {@link Clock#system()}: the engine clock of every loop. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Default none: no metrics. Null means none too, so a caller's optional registry passes. */
    public Builder meterRegistry(MeterRegistry value) {
      meterRegistry = value;
      return this;
    }

    /**
     * Builds {@code loop} with the shared clock and meter registry and adds it: loops start in the
     * order added, and stop in reverse.
     */
    public <K> Controller<K> add(Controller.Builder<K> loop) {
      loop.clock(clock);
      if (meterRegistry != null) {
        loop.meterRegistry(meterRegistry);
      }
      Controller<K> controller = loop.build();
      controllers.add(controller);
      return controller;
    }

    /** A manager of the loops added so far, not started yet. */
    public Manager build() {
      return new Manager(controllers);
    }
  }
}
