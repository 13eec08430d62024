package dev.berth.store.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload of a service: a container, a unikernel VM or a host process.
 *
 * <p>A record accepts any values so that validation can report every problem at once; see {@code
 * SpecValidator}. Collections are copied and never null; absent numbers are 0.
 *
 * @param name unique within the service; identity is this name plus the service's, carried by
 *     labels, never parsed back out of a workload's name
 * @param runtime container, unikernel or process
 * @param image the image reference (container) or image (unikernel); null for a process
 * @param executable the program (process); null otherwise
 * @param cmd arguments
 * @param env environment, in declaration order
 * @param volumes host paths mounted into a container
 * @param ports explicitly published ports
 * @param network the runtime network to join, or null for the default
 * @param user {@code user[:group]} or {@code uid[:gid]} to run as, or null for the image's
 * @param restart what the runtime does when the workload exits
 * @param memoryMb memory limit in MiB, 0 for none (a unikernel needs one)
 * @param vcpus virtual CPUs (unikernel) or CPU limit, 0 for the default
 * @param routes ways in through the node's proxy
 * @param health how to tell it is up, or null
 * @param labels extra labels; keys under {@code berth.} are Berth's own
 */
public record ComponentSpec(
    String name,
    RuntimeKind runtime,
    String image,
    String executable,
    List<String> cmd,
    Map<String, String> env,
    List<VolumeMount> volumes,
    List<PortMapping> ports,
    String network,
    String user,
    RestartPolicy restart,
    int memoryMb,
    int vcpus,
    List<RouteSpec> routes,
    HealthProbe health,
    Map<String, String> labels) {

  public ComponentSpec {
    cmd = cmd == null ? List.of() : Collections.unmodifiableList(List.copyOf(cmd));
    env = ordered(env);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    ports = ports == null ? List.of() : List.copyOf(ports);
    restart = restart == null ? RestartPolicy.NO : restart;
    routes = routes == null ? List.of() : List.copyOf(routes);
    labels = ordered(labels);
  }

  private static Map<String, String> ordered(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** A container component from an image, with everything else at its default. */
  public static ComponentSpec container(String name, String image) {
    return new ComponentSpec(
        name,
        RuntimeKind.CONTAINER,
        image,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        0,
        null,
        null,
        null);
  }

  public ComponentSpec withRoutes(List<RouteSpec> newRoutes) {
    return new ComponentSpec(
        name,
        runtime,
        image,
        executable,
        cmd,
        env,
        volumes,
        ports,
        network,
        user,
        restart,
        memoryMb,
        vcpus,
        newRoutes,
        health,
        labels);
  }

  public ComponentSpec withImage(String newImage) {
    return new ComponentSpec(
        name,
        runtime,
        newImage,
        executable,
        cmd,
        env,
        volumes,
        ports,
        network,
        user,
        restart,
        memoryMb,
        vcpus,
        routes,
        health,
        labels);
  }
}
