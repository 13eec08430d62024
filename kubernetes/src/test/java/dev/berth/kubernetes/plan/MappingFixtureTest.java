package dev.berth.kubernetes.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The objects the planner builds for a fixed spec (every kind, every field), as checked in. A
 * change of the mapping shows here, and must come with a new {@link ObjectHash#MAPPING_VERSION}:
 * the hashes are written from the builders' inputs, so without it an operator with the new mapping
 * would leave the objects an older one wrote as they were.
 */
class MappingFixtureTest {

  static final Path FIXTURE = Path.of("src", "test", "resources", "mapping-fixture.yml");
  static final Path ACTUAL = Path.of("target", "mapping-fixture.actual.yml");
  private static final Pattern VERSION = Pattern.compile("# mapping version (\\S+)");
  private static final Pattern HASH_LINE =
      Pattern.compile("(?m)^\\s*" + Pattern.quote(ClusterLabels.OBJECT_HASH) + ": .*$\\n");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void theObjectsOfTheFixedSpecAreTheCheckedInOnes() throws IOException {
    String actual = "# mapping version " + ObjectHash.MAPPING_VERSION + "\n" + objects();
    String expected = Files.readString(FIXTURE, StandardCharsets.UTF_8);
    if (actual.equals(expected)) {
      return;
    }
    Files.createDirectories(ACTUAL.getParent());
    Files.writeString(ACTUAL, actual, StandardCharsets.UTF_8);
    Matcher version = VERSION.matcher(expected);
    boolean sameVersion = version.find() && version.group(1).equals(ObjectHash.MAPPING_VERSION);
    boolean sameObjects =
        HASH_LINE
            .matcher(actual.substring(actual.indexOf('\n')))
            .replaceAll("")
            .equals(HASH_LINE.matcher(expected.substring(expected.indexOf('\n'))).replaceAll(""));
    assertThat(sameVersion && !sameObjects)
        .as(
            "the planner builds other objects than %s shows, under the same mapping version:"
                + " bump ObjectHash.MAPPING_VERSION so that running operators rewrite what older"
                + " ones wrote, then copy kubernetes/%s over it",
            FIXTURE, ACTUAL)
        .isFalse();
    assertThat(actual)
        .as(
            "the objects changed with the mapping version: copy kubernetes/%s over %s",
            ACTUAL, FIXTURE)
        .isEqualTo(expected);
  }

  /** Every object of ObjectHashTest's spec, its certificate issued, as YAML, by kind and name. */
  private static String objects() {
    Scene scene = Scene.of(ObjectHashTest.BASE);
    scene.settle();
    scene.issue();
    scene.settle();
    List<HasMetadata> all = new ArrayList<>(scene.observed.all());
    all.sort(
        Comparator.comparing((HasMetadata o) -> o.getKind())
            .thenComparing(o -> o.getMetadata().getName()));
    StringBuilder yaml = new StringBuilder();
    for (HasMetadata object : all) {
      HasMetadata copy = Scene.copy(object);
      if (copy instanceof io.fabric8.certmanager.api.model.v1.Certificate certificate) {
        certificate.setStatus(null); // cert-manager's, not the planner's
      }
      yaml.append(JSON.asYaml(copy));
    }
    return yaml.toString();
  }
}
