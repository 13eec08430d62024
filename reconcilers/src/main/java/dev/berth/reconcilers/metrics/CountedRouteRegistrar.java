package dev.berth.reconcilers.metrics;

import dev.berth.reconcilers.route.ProxyHealth;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.route.RouteRegistrar;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;

/**
 * A proxy whose changes are counted: {@code berth_proxy_reloads_total{proxy}}, every apply that
 * changed what the proxy serves (a reload, or a start), and {@code
 * berth_proxy_reload_failures_total{proxy}}, every apply that could not put a new set of routes in
 * place (the proxy refused the configuration, the reload was rejected or not taken, the proxy could
 * not be started); the proxy then serves the previous set. An apply of the set already served
 * counts as neither.
 */
public final class CountedRouteRegistrar implements RouteRegistrar {

  private final RouteRegistrar registrar;
  private final Counter reloads;
  private final Counter failures;

  private CountedRouteRegistrar(RouteRegistrar registrar, MeterRegistry meters) {
    this.registrar = registrar;
    this.reloads =
        Counter.builder("berth.proxy.reloads")
            .description("Applies that changed what the proxy serves (reloaded or started it)")
            .tag("proxy", registrar.name())
            .register(meters);
    this.failures =
        Counter.builder("berth.proxy.reload.failures")
            .description("Applies of a new set of routes the proxy did not take")
            .tag("proxy", registrar.name())
            .register(meters);
  }

  /** {@code registrar} counted into {@code meters}; {@code registrar} itself without meters. */
  public static RouteRegistrar of(RouteRegistrar registrar, MeterRegistry meters) {
    Objects.requireNonNull(registrar, "registrar");
    return meters == null ? registrar : new CountedRouteRegistrar(registrar, meters);
  }

  @Override
  public String name() {
    return registrar.name();
  }

  @Override
  public boolean apply(Set<RouteBinding> routes) {
    boolean changed;
    try {
      changed = registrar.apply(routes);
    } catch (RuntimeException e) {
      failures.increment();
      throw e;
    }
    if (changed) {
      reloads.increment();
    }
    return changed;
  }

  @Override
  public Set<RouteBinding> current() {
    return registrar.current();
  }

  @Override
  public ProxyHealth check() {
    return registrar.check();
  }
}
