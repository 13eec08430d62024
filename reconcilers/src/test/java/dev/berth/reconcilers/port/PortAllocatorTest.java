package dev.berth.reconcilers.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.PortKey;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortAllocatorTest {

  @TempDir Path data;
  Registry registry;

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.at(data));
    declare("shop");
    declare("blog");
  }

  @AfterEach
  void close() {
    registry.close();
  }

  void declare(String name) {
    registry
        .services()
        .apply(
            ApplyRequest.of(
                name,
                List.of(
                    ServiceSpec.of(
                        name,
                        ComponentSpec.container("web", "localhost/web:1")
                            .withRoutes(
                                List.of(
                                    new RouteSpec(
                                        "https", 443, RouteMode.L7, name + ".example.net"),
                                    new RouteSpec(
                                        "admin", 8443, RouteMode.L7, name + ".example.org")))))));
  }

  @Test
  void aRouteKeepsItsPortAcrossCallsAndRegistryRestarts() {
    PortKey key = new PortKey("shop", "web", "https");
    int first = new PortAllocator(registry.ports(), PortRange.DEFAULT).allocate(key);
    assertThat(new PortAllocator(registry.ports(), PortRange.DEFAULT).allocate(key))
        .isEqualTo(first);
    registry.close();
    registry = Registry.open(RegistryConfig.at(data));
    assertThat(new PortAllocator(registry.ports(), PortRange.DEFAULT).allocate(key))
        .isEqualTo(first);
  }

  @Test
  void aSpareIsAnotherPortAndTheFirstStaysWhatItWas() {
    PortKey key = new PortKey("shop", "web", "https");
    PortAllocator allocator = new PortAllocator(registry.ports(), PortRange.DEFAULT);
    int first = allocator.allocate(key);

    int spare = allocator.allocateSpare(key);

    assertThat(spare).isNotEqualTo(first);
    assertThat(allocator.allocate(key)).isEqualTo(first);
    assertThat(allocator.allocateSpare(key)).isEqualTo(spare);
  }

  @Test
  void sparesAndFirstPortsAreAllDistinct() {
    PortRange range = new PortRange(20000, 20007);
    PortAllocator allocator = new PortAllocator(registry.ports(), range, port -> true);
    Set<Integer> ports = new HashSet<>();
    for (String service : List.of("shop", "blog")) {
      for (String route : List.of("https", "admin")) {
        ports.add(allocator.allocateSpare(new PortKey(service, "web", route)));
        ports.add(allocator.allocate(new PortKey(service, "web", route)));
      }
    }
    assertThat(ports).hasSize(8).allMatch(range::contains);
  }

  @Test
  void routesGetDistinctPortsWithinTheRange() {
    PortRange range = new PortRange(20000, 20003);
    PortAllocator allocator = new PortAllocator(registry.ports(), range, port -> true);
    Set<Integer> ports = new HashSet<>();
    for (String service : List.of("shop", "blog")) {
      for (String route : List.of("https", "admin")) {
        ports.add(allocator.allocate(new PortKey(service, "web", route)));
      }
    }
    assertThat(ports).hasSize(4).allMatch(range::contains);
  }

  @Test
  void aPortTheSystemReportsBusyIsSkipped() throws Exception {
    try (ServerSocket busy = new ServerSocket(0)) {
      int port = busy.getLocalPort();
      PortRange range = new PortRange(Math.max(1024, port), Math.min(65535, port + 1));
      if (range.size() < 2) {
        return;
      }
      int allocated =
          new PortAllocator(registry.ports(), range).allocate(new PortKey("shop", "web", "https"));
      assertThat(allocated).isNotEqualTo(port);
    }
  }

  @Test
  void aFullRangeIsAClearError() {
    PortAllocator allocator =
        new PortAllocator(registry.ports(), new PortRange(20000, 20000), p -> true);
    allocator.allocate(new PortKey("shop", "web", "https"));
    assertThatThrownBy(() -> allocator.allocate(new PortKey("blog", "web", "https")))
        .isInstanceOf(PortExhaustedException.class)
        .hasMessage("no free host port in 20000-20000 for route blog/web/https");
  }

  @Test
  void aDeletedServiceReleasesItsPorts() {
    PortAllocator allocator =
        new PortAllocator(registry.ports(), new PortRange(20000, 20000), p -> true);
    allocator.allocate(new PortKey("shop", "web", "https"));
    registry.services().delete("shop", null);
    assertThat(allocator.allocate(new PortKey("blog", "web", "https"))).isEqualTo(20000);
  }

  @Test
  void theStartingPointDependsOnTheKeyOnly() {
    PortKey key = new PortKey("shop", "web", "https");
    PortRange range = PortRange.DEFAULT;
    int port = PortCandidates.next(key, range, Set.of(), p -> true);
    assertThat(PortCandidates.next(key, range, Set.of(), p -> true)).isEqualTo(port);
    assertThat(PortCandidates.next(key, range, Set.of(port), p -> true))
        .isEqualTo(port == range.last() ? range.first() : port + 1);
  }

  @Test
  void aRangeOutsideUserPortsIsRefused() {
    assertThatThrownBy(() -> new PortRange(80, 90))
        .hasMessageContaining("port range must be within 1024..65535");
  }
}
