package dev.berth.reconcilers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.ServiceFiles;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a component declared in a file learns its routes' host ports. */
class WorkloadSpecsTest {

  @Test
  void aPredecessorsSingleRouteWithoutNameGivesPortAndPortDefault() {
    ServiceSpec minecraft =
        ServiceFiles.parse(
            """
            name = "minecraft"
            [[components]]
            name = "server"
            image = "example.net/minecraft:1.20"
            [[components.routes]]
            port = 25565
            """,
            "minecraft.toml",
            ValidationPolicy.STRICT);

    WorkloadSpec spec =
        WorkloadSpecs.of("minecraft", 1, minecraft.components().get(0), Map.of("default", 20001));

    assertThat(spec.env()).containsEntry("PORT", "20001").containsEntry("PORT_DEFAULT", "20001");
  }

  @Test
  void twoRoutesGiveEachItsOwnVariableAndNoPort() {
    ServiceSpec web =
        ServiceFiles.parse(
            """
            name = "web"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            [[components.routes]]
            port = 8443
            [[components.routes]]
            name = "admin"
            port = 9443
            """,
            "web.toml",
            ValidationPolicy.STRICT);

    WorkloadSpec spec =
        WorkloadSpecs.of(
            "web", 1, web.components().get(0), Map.of("default", 20001, "admin", 20002));

    assertThat(spec.env())
        .containsEntry("PORT_DEFAULT", "20001")
        .containsEntry("PORT_ADMIN", "20002")
        .doesNotContainKey("PORT");
  }
}
