package dev.berth.reconcilers.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.reconcile.Result;
import dev.berth.spec.model.RouteMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The route loop's bookkeeping of the proxy's health, over a proxy the test scripts: when an outage
 * starts and ends, who is told, what counts as served meanwhile. The real nginx under the same loop
 * is NginxSupervisionTest's.
 */
class RouteReconcilerTest {

  static final Duration INTERVAL = Duration.ofSeconds(1);

  final ScriptedProxy proxy = new ScriptedProxy();
  final RouteTable table = new RouteTable();
  final List<String> events = new ArrayList<>();
  final List<String> told = new ArrayList<>();
  int applyRequests;
  RouteReconciler loop;

  @BeforeEach
  void loop() {
    loop =
        new RouteReconciler(
            proxy,
            table,
            told::add,
            (service, type, reason, message) ->
                events.add(service + " " + type.wire() + " " + reason + ": " + message),
            INTERVAL);
    loop.onApplyNeeded(() -> applyRequests++);
    table.publish("web", Set.of(route("web", 10001)));
    table.publish("api", Set.of(route("api", 10002)));
  }

  @Test
  void theCheckComesBackAfterItsIntervalWhateverItFinds() {
    assertThat(loop.reconcile(RouteReconciler.CHECK_KEY)).isEqualTo(Result.requeueAfter(INTERVAL));
    proxy.health = ProxyHealth.down("nginx's master (pid 7) is gone");
    proxy.failure = new RouteException("nginx does not start");

    assertThat(loop.reconcile(RouteReconciler.CHECK_KEY)).isEqualTo(Result.requeueAfter(INTERVAL));
  }

  @Test
  void aProxyFoundDownIsOneOutageForEveryServiceWithRoutes() {
    serving();
    proxy.health = ProxyHealth.down("nginx's master (pid 7) is gone");

    loop.reconcile(RouteReconciler.CHECK_KEY);
    loop.reconcile(RouteReconciler.CHECK_KEY);

    assertThat(events)
        .containsExactlyInAnyOrder(
            "web Warning ProxyDown: nginx is down, so this service's routes are not served until"
                + " it is restarted: nginx's master (pid 7) is gone",
            "api Warning ProxyDown: nginx is down, so this service's routes are not served until"
                + " it is restarted: nginx's master (pid 7) is gone");
    assertThat(table.served("web")).isEmpty();
    assertThat(table.served("api")).isEmpty();
    assertThat(told).containsExactlyInAnyOrder("web", "api");
    assertThat(loop.health()).contains(proxy.health);
    assertThat(applyRequests).as("one restart asked for, not one per check").isEqualTo(1);
  }

  @Test
  void theOutageEndsWhenTheRestartedProxyServes() {
    serving();
    proxy.health = ProxyHealth.down("nginx's master (pid 7) is stopped");
    loop.reconcile(RouteReconciler.CHECK_KEY);
    events.clear();

    loop.reconcile(RouteReconciler.KEY);

    assertThat(proxy.restarts).isEqualTo(1);
    assertThat(loop.health()).contains(ProxyHealth.SERVING);
    assertThat(events)
        .hasSize(2)
        .allMatch(event -> event.matches("(web|api) Normal ProxyRestarted: nginx serves again.*"));
    assertThat(table.served("web")).isEqualTo(table.published("web"));
    assertThat(table.pending()).isEmpty();
  }

  @Test
  void whileTheProxyCannotBeRestartedItsHealthSaysWhyAndNothingIsServed() {
    serving();
    proxy.health = ProxyHealth.down("nginx's master (pid 7) is gone");
    proxy.failure = new RouteException("nginx does not start: bind() failed (Address in use)");
    loop.reconcile(RouteReconciler.CHECK_KEY);

    assertThatThrownBy(() -> loop.reconcile(RouteReconciler.KEY)).isSameAs(proxy.failure);
    loop.reconcile(RouteReconciler.CHECK_KEY);

    assertThat(loop.health().orElseThrow().serving()).isFalse();
    assertThat(loop.health().orElseThrow().reason())
        .isEqualTo(
            "nginx's master (pid 7) is gone; restarting it fails: nginx does not start: bind()"
                + " failed (Address in use)");
    assertThat(table.served("web")).isEmpty();
    assertThat(events)
        .filteredOn(event -> event.contains("RoutesFailed"))
        .containsExactlyInAnyOrder(
            "web Warning RoutesFailed: nginx does not start: bind() failed (Address in use)",
            "api Warning RoutesFailed: nginx does not start: bind() failed (Address in use)");
  }

  @Test
  void aProxyNotStartedYetWhenTheLoopStartsIsNoOutage() {
    proxy.health = ProxyHealth.down("nginx is not running (no pid in nginx.pid)");

    loop.reconcile(RouteReconciler.CHECK_KEY);
    loop.reconcile(RouteReconciler.KEY);

    assertThat(events).isEmpty();
    assertThat(loop.health()).contains(ProxyHealth.SERVING);
    assertThat(table.pending()).isEmpty();
  }

  @Test
  void aProxyThatWentDownSinceTheLastCheckIsAnOutageBeforeItIsRestarted() {
    serving();
    proxy.health = ProxyHealth.down("nginx's master (pid 7) is gone");

    loop.reconcile(RouteReconciler.KEY);

    assertThat(events)
        .extracting(event -> event.substring(0, event.indexOf(':')))
        .containsExactlyInAnyOrder(
            "web Warning ProxyDown",
            "api Warning ProxyDown",
            "web Normal ProxyRestarted",
            "api Normal ProxyRestarted");
    assertThat(proxy.restarts).isEqualTo(1);
  }

  @Test
  void aProxyStillDownAfterAnApplyServesNoRoute() {
    proxy.health = ProxyHealth.down("nginx is not running; Berth is configured not to start nginx");
    proxy.restartable = false;

    loop.reconcile(RouteReconciler.KEY);

    assertThat(loop.health().orElseThrow().serving()).isFalse();
    assertThat(table.served("web")).isEmpty();
    assertThat(table.pending()).containsExactlyInAnyOrder("web", "api");
  }

  /** The proxy served every published route, and the loop saw it do so. */
  private void serving() {
    loop.reconcile(RouteReconciler.CHECK_KEY);
    loop.reconcile(RouteReconciler.KEY);
    assertThat(table.pending()).isEmpty();
    events.clear();
    told.clear();
    applyRequests = 0;
    proxy.restarts = 0;
  }

  private static RouteBinding route(String service, int backend) {
    return new RouteBinding(
        service, "main", "tls", RouteMode.L4, service + ".berth.test", 8443, backend, null);
  }

  /**
   * A proxy whose health the test sets; an apply restarts a proxy that is down (unless it is not
   * restartable), or throws {@link #failure}.
   */
  static final class ScriptedProxy implements RouteRegistrar {
    ProxyHealth health = ProxyHealth.SERVING;
    RouteException failure;
    boolean restartable = true;
    int restarts;
    Set<RouteBinding> current = Set.of();

    @Override
    public String name() {
      return "nginx";
    }

    @Override
    public boolean apply(Set<RouteBinding> routes) {
      if (failure != null) {
        throw failure;
      }
      if (!health.serving() && restartable) {
        health = ProxyHealth.SERVING;
        restarts++;
      }
      current = routes;
      return true;
    }

    @Override
    public Set<RouteBinding> current() {
      return current;
    }

    @Override
    public ProxyHealth check() {
      return health;
    }
  }
}
