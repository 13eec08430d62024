package dev.berth.kubernetes.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the operator's Kubernetes client, always on the JDK's HTTP client: the one factory this
 * module ships (Vert.x is excluded), named here so that the client never picks one by class-path
 * order.
 */
public final class ClusterClients {

  private ClusterClients() {}

  /**
   * A client for the cluster a kubeconfig file names (its current context), or, without one,
   * fabric8's usual search: {@code KUBECONFIG}, {@code ~/.kube/config}, then the in-cluster service
   * account.
   *
   * @param kubeconfig a kubeconfig file, or null
   */
  public static KubernetesClient connect(Path kubeconfig) throws IOException {
    Config config =
        kubeconfig == null
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(Files.readString(kubeconfig, StandardCharsets.UTF_8));
    return connect(config);
  }

  /** A client for {@code config}. */
  public static KubernetesClient connect(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }
}
