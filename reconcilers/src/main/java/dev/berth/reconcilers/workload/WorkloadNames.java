package dev.berth.reconcilers.workload;

/**
 * The name a component's workload gets on the node. Names are for people (in {@code podman ps});
 * identity is in the labels. Service and component names are DNS labels ({@code [a-z0-9-]}), so an
 * underscore cannot occur in either: {@code a-b_c} and {@code a_b-c} never collide, as {@code
 * a-b-c} would for ("a-b", "c") and ("a", "b-c").
 */
public final class WorkloadNames {

  private WorkloadNames() {}

  /**
   * The name of the workload of {@code component} of {@code service}: {@code service_component}.
   */
  public static String of(String service, String component) {
    return service + "_" + component;
  }
}
