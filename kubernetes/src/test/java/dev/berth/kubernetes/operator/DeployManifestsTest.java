package dev.berth.kubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests in deploy/kubernetes, loaded as a cluster would read them: the RBAC grants every
 * verb on every resource the operator uses (from its own list, {@link ClusterAccess#rules()}), to
 * the service account its Deployment runs as, and that Deployment runs {@code berth operator}.
 */
class DeployManifestsTest {

  static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  static List<HasMetadata> objects() throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(DEPLOY)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          Object loaded = YAML.unmarshal(in);
          if (loaded instanceof KubernetesList list) {
            objects.addAll(list.getItems());
          } else if (loaded instanceof List<?> list) {
            list.forEach(o -> objects.add((HasMetadata) o));
          } else {
            objects.add((HasMetadata) loaded);
          }
        }
      }
    }
    return objects;
  }

  static <T extends HasMetadata> T only(Class<T> type) throws IOException {
    List<T> found = objects().stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as("one %s in deploy/kubernetes", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  @Test
  void theClusterRoleCoversEveryVerbOnEveryResourceTheOperatorUses() throws IOException {
    ClusterRole role = only(ClusterRole.class);

    for (ClusterAccess.Rule needed : ClusterAccess.rules()) {
      for (String verb : needed.verbs()) {
        assertThat(role.getRules())
            .as("%s %s in group \"%s\"", verb, needed.resource(), needed.group())
            .anyMatch(rule -> grants(rule, needed.group(), needed.resource(), verb));
      }
    }
  }

  @Test
  void theClusterRoleGrantsNothingTheOperatorDoesNotUse() throws IOException {
    ClusterRole role = only(ClusterRole.class);

    for (PolicyRule rule : role.getRules()) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            assertThat(ClusterAccess.rules())
                .as("granted but not used: %s %s in group \"%s\"", verb, resource, group)
                .anyMatch(
                    used ->
                        used.group().equals(group)
                            && used.resource().equals(resource)
                            && used.verbs().contains(verb));
          }
        }
      }
    }
  }

  @Test
  void theRoleIsBoundToTheServiceAccountTheOperatorRunsAs() throws IOException {
    ClusterRoleBinding binding = only(ClusterRoleBinding.class);
    ServiceAccount account = only(ServiceAccount.class);
    Deployment operator = only(Deployment.class);

    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(only(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects())
        .anySatisfy(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
            });
    assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(operator.getMetadata().getNamespace())
        .isEqualTo(account.getMetadata().getNamespace())
        .isEqualTo(only(Namespace.class).getMetadata().getName());
  }

  @Test
  void theDeploymentRunsBerthOperatorWithItsConfigAndProbesItsEndpoints() throws IOException {
    Deployment operator = only(Deployment.class);
    ConfigMap config = only(ConfigMap.class);
    Container container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(operator.getSpec().getReplicas()).isEqualTo(1);
    assertThat(container.getArgs()).startsWith("operator").contains("--config");
    String configFile = container.getArgs().get(container.getArgs().indexOf("--config") + 1);
    assertThat(configFile).startsWith("/etc/berth/");
    assertThat(config.getData()).containsKey(Path.of(configFile).getFileName().toString());
    assertThat(config.getData().get("operator.toml")).contains("listen = \"0.0.0.0:9464\"");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getPorts()).anyMatch(p -> p.getContainerPort() == 9464);
  }

  private static boolean grants(PolicyRule rule, String group, String resource, String verb) {
    return (rule.getApiGroups().contains(group) || rule.getApiGroups().contains("*"))
        && (rule.getResources().contains(resource) || rule.getResources().contains("*"))
        && (rule.getVerbs().contains(verb) || rule.getVerbs().contains("*"));
  }
}
