package dev.berth.examples.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.ServiceFiles;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One declaration, node or cluster: every sample service file of the examples and of
 * docs/service-definitions.md, read by the node's loader, becomes a BerthService whose YAML reads
 * back as the very same spec, env order included; the service's labels are the resource's metadata
 * labels (which are not read back: cluster tools add labels of their own there).
 */
class SampleFilesAsBerthServicesTest {

  private static final Path DOCS = Path.of("..", "docs", "service-definitions.md");

  /** The docs' TOML blocks; their routes without a hostname need a default domain to load. */
  private static final ValidationPolicy POLICY =
      ValidationPolicy.STRICT.withDefaultDomain(DefaultDomain.of("example.net"));

  record Sample(String name, ServiceSpec spec) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Sample> samples() throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (Path dir :
        List.of(Path.of("quickstart", "services"), Path.of("quickstart-podman", "services"))) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".toml")).sorted().toList()) {
          samples.add(new Sample(file.toString(), ServiceFiles.load(file, POLICY).specs().get(0)));
        }
      }
    }
    Matcher blocks =
        Pattern.compile("```toml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOCS));
    while (blocks.find()) {
      var result = ServiceFiles.read(blocks.group(1), "docs.toml", "docs", POLICY);
      if (result.ok()) { // some blocks show an error on purpose
        samples.add(new Sample("docs: " + result.specs().get(0).name(), result.specs().get(0)));
      }
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(5);
    return samples.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void aSampleFileReadsBackFromItsBerthServiceYaml(Sample sample) {
    String yaml = Serialization.asYaml(ServiceSpecMapping.toResource(sample.spec()));

    BerthService resource = Serialization.unmarshal(yaml, BerthService.class);
    ServiceSpec back = ServiceSpecMapping.toServiceSpec(resource).spec();

    assertThat(back).isEqualTo(withoutSecrets(sample.spec()).withLabels(Map.of()));
    assertThat(Optional.ofNullable(resource.getMetadata().getLabels()).orElse(Map.of()))
        .isEqualTo(sample.spec().labels());
    for (int i = 0; i < back.components().size(); i++) {
      assertThat(List.copyOf(back.components().get(i).env().entrySet()))
          .containsExactlyElementsOf(sample.spec().components().get(i).env().entrySet());
    }
  }

  /**
   * The spec a BerthService can carry: secrets are files of a node's secrets directory, which a
   * cluster does not have (berth kube export refuses a component with secrets:
   * KubeExportCommandTest).
   */
  private static ServiceSpec withoutSecrets(ServiceSpec spec) {
    return spec.withComponents(
        spec.components().stream().map(c -> c.toBuilder().secrets(List.of()).build()).toList());
  }
}
