package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.file.LoadedService;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServicePathsTest {

  private final ServicePaths paths =
      new ServicePaths(List.of(loaded("hello", "hello.toml"), loaded("web", "web.toml")));

  @Test
  void anIndexedServiceBecomesTheFileItCameFrom() {
    assertThat(paths.apply("services[1].components[0].routes[1].port: must be 1..65535"))
        .isEqualTo("web.toml: components[0].routes[1].port: must be 1..65535");
  }

  @Test
  void aServiceNamedByItsNameBecomesItsFileToo() {
    assertThat(paths.apply("services[hello].components[0].image: must have a tag"))
        .isEqualTo("hello.toml: components[0].image: must have a tag");
  }

  @Test
  void aPathToTheWholeServiceBecomesTheFileAlone() {
    assertThat(paths.apply("services[0]: conflicts with services[1]"))
        .isEqualTo("hello.toml: conflicts with web.toml");
  }

  @Test
  void anUnknownIndexIsLeftAsTheAgentWroteIt() {
    assertThat(paths.apply("services[7].name: bad")).isEqualTo("services[7].name: bad");
  }

  private static LoadedService loaded(String name, String file) {
    ComponentSpec component =
        ComponentSpec.builder("app", RuntimeKind.CONTAINER).image("example/app:1.0").build();
    return new LoadedService(ServiceSpec.of(name, component), file, "file:/srv/berth");
  }
}
