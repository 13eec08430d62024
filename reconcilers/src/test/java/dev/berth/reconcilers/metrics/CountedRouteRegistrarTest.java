package dev.berth.reconcilers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconcilers.route.ProxyHealth;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.route.RouteException;
import dev.berth.reconcilers.route.RouteRegistrar;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CountedRouteRegistrarTest {

  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** A proxy whose applies answer as scripted: changed, unchanged, or refused. */
  private static final class ScriptedProxy implements RouteRegistrar {
    final Deque<Object> answers = new ArrayDeque<>();

    @Override
    public String name() {
      return "nginx";
    }

    @Override
    public boolean apply(Set<RouteBinding> routes) {
      Object answer = answers.removeFirst();
      if (answer instanceof RuntimeException e) {
        throw e;
      }
      return (Boolean) answer;
    }

    @Override
    public Set<RouteBinding> current() {
      return Set.of();
    }

    @Override
    public ProxyHealth check() {
      return ProxyHealth.SERVING;
    }
  }

  @Test
  void countsAppliesThatChangedTheProxyAndThoseItRefused() {
    ScriptedProxy proxy = new ScriptedProxy();
    proxy.answers.add(true);
    proxy.answers.add(false);
    proxy.answers.add(new RouteException("nginx -t: port 80 is taken"));
    RouteRegistrar counted = CountedRouteRegistrar.of(proxy, meters);

    assertThat(counted.apply(Set.of())).isTrue();
    assertThat(counted.apply(Set.of())).isFalse();
    assertThatThrownBy(() -> counted.apply(Set.of()))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("port 80");

    assertThat(meters.scrape())
        .contains("berth_proxy_reloads_total{proxy=\"nginx\"} 1.0")
        .contains("berth_proxy_reload_failures_total{proxy=\"nginx\"} 1.0");
  }
}
