package dev.berth.spec.model;

/**
 * A host directory or file mounted into a container.
 *
 * @param hostPath absolute path on the node
 * @param containerPath absolute path inside the container
 * @param readOnly mounted read-only ({@code :ro})
 */
public record VolumeMount(String hostPath, String containerPath, boolean readOnly) {

  /** The {@code host:container[:ro]} spelling of files and podman. */
  @Override
  public String toString() {
    return hostPath + ":" + containerPath + (readOnly ? ":ro" : "");
  }
}
