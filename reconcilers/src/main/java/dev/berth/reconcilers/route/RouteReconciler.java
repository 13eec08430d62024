package dev.berth.reconcilers.route;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import dev.berth.store.registry.ServiceEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The route loop, over two keys of the proxy:
 *
 * <ul>
 *   <li>{@link #KEY}: hands the union of every service's published routes to the {@link
 *       RouteRegistrar} (which restarts a proxy found down), then records what the proxy serves and
 *       tells the services whose served set changed. Many services changing at once cost one
 *       reload, since their publishes collapse into one key. A failure backs off like any key's.
 *   <li>{@link #CHECK_KEY}: looks at the proxy, and comes back after the check interval: a requeue,
 *       not a thread waiting. It never fails, so a backoff of {@link #KEY} never delays it.
 * </ul>
 *
 * <p>When a proxy that served is found down (dead, hung, its listeners unanswered), that is an
 * outage: a line in the log, a {@code ProxyDown} warning in the history of every service with
 * routes, their routes no longer count as served, and {@link #KEY} is queued to restart it. When it
 * serves again, a {@code ProxyRestarted} event. While it is down, {@link #health()} says why, as
 * does the last restart's failure.
 *
 * <p>The loop must have one worker: its two keys share the proxy and this object's state.
 */
public final class RouteReconciler implements Reconciler<String> {

  /** The key that puts the routes in place. */
  public static final String KEY = "proxy";

  /** The key that looks at the proxy, every check interval. */
  public static final String CHECK_KEY = "proxy-check";

  /**
   * How often the proxy is looked at: a proxy that dies or hangs is noticed within about this plus
   * the registrar's bound on a check, well inside 5 s.
   */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = System.getLogger(RouteReconciler.class.getName());

  /** Where the loop's events go: the history of one service. */
  @FunctionalInterface
  public interface Events {
    /**
     * Records an event of {@code type} with {@code reason} and {@code message} in the history of
     * {@code service}.
     */
    void record(String service, ServiceEvent.Type type, String reason, String message);
  }

  private final RouteRegistrar registrar;
  private final RouteTable table;
  private final Consumer<String> serviceChanged;
  private final Events events;
  private final Duration checkInterval;
  private volatile Runnable applyNeeded = () -> {};

  /** The last look at the proxy; null before the first. Written by the loop's worker only. */
  private volatile ProxyHealth health;

  /** Why the last attempt to put the routes in place failed while the proxy was down, or null. */
  private String restartFailure;

  /** When the current outage was noticed ({@link System#nanoTime}); 0 when there is none. */
  private long downSince;

  /**
   * @param serviceChanged told each service whose served routes changed
   * @param events where {@code RoutesFailed}, {@code ProxyDown} and {@code ProxyRestarted} go
   * @param checkInterval how often {@link #CHECK_KEY} looks at the proxy
   */
  public RouteReconciler(
      RouteRegistrar registrar,
      RouteTable table,
      Consumer<String> serviceChanged,
      Events events,
      Duration checkInterval) {
    this.registrar = Objects.requireNonNull(registrar, "registrar");
    this.table = Objects.requireNonNull(table, "table");
    this.serviceChanged = Objects.requireNonNull(serviceChanged, "serviceChanged");
    this.events = Objects.requireNonNull(events, "events");
    this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be positive, was " + checkInterval);
    }
  }

  /** Told when a check found that the routes must be put in place again: queue {@link #KEY}. */
  public void onApplyNeeded(Runnable listener) {
    applyNeeded = Objects.requireNonNull(listener, "listener");
  }

  /** The proxy as last looked at; empty before the first look. */
  public Optional<ProxyHealth> health() {
    return Optional.ofNullable(health);
  }

  @Override
  public Result reconcile(String key) {
    if (CHECK_KEY.equals(key)) {
      ProxyHealth before = health;
      ProxyHealth found = observe(registrar.check());
      // Only a change asks for an apply: a proxy that stays down is retried by KEY's backoff.
      if (before == null || before.serving() != found.serving()) {
        applyNeeded.run();
      }
      return Result.requeueAfter(checkInterval);
    }
    applyRoutes();
    return Result.done();
  }

  private void applyRoutes() {
    // A proxy that went down since the last look is an outage to record before it is restarted;
    // one already known down need not be looked at again (a hung one costs the check's bound).
    ProxyHealth last = health;
    if (last == null || last.serving()) {
      observe(registrar.check());
    }
    Set<RouteBinding> wanted = table.allPublished();
    try {
      if (registrar.apply(wanted)) {
        LOG.log(Level.INFO, "{0} serves {1} routes", registrar.name(), wanted.size());
      }
    } catch (RouteException e) {
      for (String service : table.pending()) {
        events.record(service, ServiceEvent.Type.WARNING, "RoutesFailed", e.getMessage());
      }
      ProxyHealth now = registrar.check();
      restartFailure = now.serving() ? null : e.getMessage();
      now = observe(now);
      table.served(now.serving() ? registrar.current() : Set.of(), serviceChanged);
      throw e;
    }
    restartFailure = null;
    ProxyHealth now = observe(registrar.check());
    table.served(now.serving() ? wanted : Set.of(), serviceChanged);
  }

  /**
   * Records a look at the proxy, and starts or ends an outage: only a proxy seen serving can go
   * down (one not yet started at the agent's start is no outage), and only an outage ends.
   */
  private ProxyHealth observe(ProxyHealth found) {
    if (!found.serving() && restartFailure != null) {
      found = ProxyHealth.down(found.reason() + "; restarting it fails: " + restartFailure);
    }
    ProxyHealth before = health;
    health = found;
    boolean wasServing = before != null && before.serving();
    if (wasServing && !found.serving()) {
      downSince = System.nanoTime();
      LOG.log(Level.WARNING, "{0} is down: {1}", registrar.name(), found.reason());
      String message =
          registrar.name()
              + " is down, so this service's routes are not served until it is restarted: "
              + found.reason();
      for (String service : table.services()) {
        events.record(service, ServiceEvent.Type.WARNING, "ProxyDown", message);
      }
      table.served(Set.of(), serviceChanged);
    } else if (!wasServing && found.serving() && downSince != 0) {
      long millis = Duration.ofNanos(System.nanoTime() - downSince).toMillis();
      downSince = 0;
      LOG.log(
          Level.INFO,
          "{0} serves again, {1} ms after it was found down",
          registrar.name(),
          Long.toString(millis));
      String message =
          registrar.name() + " serves again, " + millis + " ms after it was found down";
      for (String service : table.services()) {
        events.record(service, ServiceEvent.Type.NORMAL, "ProxyRestarted", message);
      }
    }
    return found;
  }
}
