package dev.berth.kubernetes.operator;

import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ServiceSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * A node's services as BerthService YAML, for {@code kubectl apply -f -}: one document per service,
 * each {@code ---}-separated, without a namespace (kubectl's own, or {@code -n}, applies).
 */
public final class ServiceExport {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private ServiceExport() {}

  /** The YAML of {@code services}, in their order. */
  public static String yaml(List<ServiceSpec> services) {
    StringBuilder out = new StringBuilder();
    for (ServiceSpec service : services) {
      BerthService resource = ServiceSpecMapping.toResource(service);
      String document = YAML.asYaml(resource);
      if (!document.startsWith("---")) {
        out.append("---\n");
      }
      out.append(document);
      if (!document.endsWith("\n")) {
        out.append('\n');
      }
    }
    return out.toString();
  }
}
