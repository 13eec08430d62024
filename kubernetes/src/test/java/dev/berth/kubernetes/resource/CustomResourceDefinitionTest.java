package dev.berth.kubernetes.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The CRD checked in for {@code kubectl apply} is the one the build generates from {@link
 * BerthService}: a change of the classes without the file (or the file without the classes) fails
 * here, so CI catches it.
 */
class CustomResourceDefinitionTest {

  static final String FILE = "berthservices.berth.dev-v1.yml";

  /** Where the repository keeps it, from this module's directory (surefire's working directory). */
  static final Path CHECKED_IN = Path.of("..", "deploy", "kubernetes", FILE);

  @Test
  void theCheckedInCrdIsTheOneTheClassesGenerate() throws IOException {
    String generated = generated();
    String checkedIn = Files.readString(CHECKED_IN, StandardCharsets.UTF_8);
    assertThat(checkedIn)
        .as(
            "deploy/kubernetes/%s differs from the CRD generated from BerthService; after changing"
                + " the classes, copy kubernetes/target/classes/META-INF/fabric8/%s there",
            FILE, FILE)
        .isEqualTo(generated);
  }

  @Test
  void itIsNamespacedUnderBerthDevWithTheShortNameBsvc() throws IOException {
    CustomResourceDefinition crd = crd();
    assertThat(crd.getMetadata().getName())
        .isEqualTo("berthservices.berth.dev")
        .isEqualTo(HasMetadata.getFullResourceName(BerthService.class));
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("BerthService");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("bsvc");
    assertThat(crd.getSpec().getVersions())
        .extracting(CustomResourceDefinitionVersion::getName)
        .containsExactly("v1alpha1");
  }

  @Test
  void statusIsASubresource() throws IOException {
    CustomResourceDefinitionVersion version = crd().getSpec().getVersions().get(0);
    assertThat(version.getSubresources()).isNotNull();
    assertThat(version.getSubresources().getStatus()).isNotNull();
  }

  @Test
  void kubectlShowsReadyReasonAndAge() throws IOException {
    CustomResourceDefinitionVersion version = crd().getSpec().getVersions().get(0);
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType)
        .containsExactlyInAnyOrder(
            Tuple.tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string"),
            Tuple.tuple("Reason", ".status.conditions[?(@.type==\"Ready\")].reason", "string"),
            Tuple.tuple("Age", ".metadata.creationTimestamp", "date"));
  }

  @Test
  void theEnvironmentIsAnOrderedListOfNamesAndValues() throws IOException {
    var env =
        crd()
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec")
            .getProperties()
            .get("components")
            .getItems()
            .getSchema()
            .getProperties()
            .get("env");
    assertThat(env.getType()).isEqualTo("array");
    assertThat(env.getItems().getSchema().getProperties()).containsOnlyKeys("name", "value");
  }

  private static CustomResourceDefinition crd() throws IOException {
    return Serialization.unmarshal(generated(), CustomResourceDefinition.class);
  }

  /** What the build generated into target/classes, on the test class path. */
  private static String generated() throws IOException {
    try (InputStream in =
        CustomResourceDefinitionTest.class.getResourceAsStream("/META-INF/fabric8/" + FILE)) {
      assertThat(in).as("the build generates META-INF/fabric8/%s", FILE).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
