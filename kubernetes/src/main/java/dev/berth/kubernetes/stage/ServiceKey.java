package dev.berth.kubernetes.stage;

import dev.berth.kubernetes.resource.BerthService;
import java.util.Objects;

/** A BerthService's identity on a cluster: its namespace and name. */
public record ServiceKey(String namespace, String name) {

  public ServiceKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static ServiceKey of(BerthService resource) {
    return new ServiceKey(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
