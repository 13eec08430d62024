package dev.berth.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.identity.PortVariables;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.ServiceFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service files of the quickstarts hold what docs/service-definitions.md allows, strictly. */
class QuickstartServicesTest {

  static final Path QUICKSTART = Path.of("quickstart", "services");
  static final Path PODMAN_QUICKSTART = Path.of("quickstart-podman", "services");

  static LoadResult load(Path directory) {
    return ServiceFiles.load(directory, ValidationPolicy.STRICT);
  }

  @Test
  void theQuickstartsServicesLoadStrictlyWithoutErrorsOrNotes() {
    LoadResult loaded = load(QUICKSTART);

    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.notes()).isEmpty();
    assertThat(loaded.specs()).extracting(ServiceSpec::name).containsExactly("greeter", "hello");
  }

  @Test
  void thePodmanQuickstartsServicesLoadStrictlyWithoutErrorsOrNotes() {
    LoadResult loaded = load(PODMAN_QUICKSTART);

    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.notes()).isEmpty();
    assertThat(loaded.specs()).extracting(ServiceSpec::name).containsExactly("hello");
    assertThat(loaded.specs().get(0).components())
        .extracting(ComponentSpec::runtime)
        .containsOnly(RuntimeKind.CONTAINER);
  }

  /**
   * The files run java and HelloServer by name, found through the agent's PATH and CLASSPATH that
   * run.sh sets (so the files need no absolute paths of this machine); and each HelloServer gets
   * its port from the route whose variable it reads.
   */
  @Test
  void everyHelloServerIsJavaByNameWithARouteGivingItsPortVariable() {
    List<ComponentSpec> servers =
        load(QUICKSTART).specs().stream()
            .flatMap(spec -> spec.components().stream())
            .filter(component -> component.cmd().contains(HelloServer.class.getName()))
            .toList();

    assertThat(servers).hasSize(2);
    for (ComponentSpec server : servers) {
      assertThat(server.runtime()).isEqualTo(RuntimeKind.PROCESS);
      assertThat(server.executable()).isEqualTo("java");
      assertThat(server.routes())
          .extracting(RouteSpec::name)
          .map(PortVariables::forRoute)
          .containsExactly(HelloSettings.PORT_VARIABLE);
      assertThat(server.health().route()).isEqualTo(server.routes().get(0).name());
      assertThat(server.health().path()).isEqualTo("/healthz");
    }
  }
}
