package dev.berth.runtime;

import java.util.Map;

/**
 * The labels that give a workload its identity. Berth finds what it created by these labels, never
 * by parsing a workload's name: {@code mc-proxy} is a service name, not "mc" plus "proxy".
 */
public final class Labels {

  /** The service a workload belongs to. */
  public static final String SERVICE = "berth.service";

  /** The component of that service. */
  public static final String COMPONENT = "berth.component";

  /** A hash of the component's spec: a different hash means the workload must be replaced. */
  public static final String SPEC_HASH = "berth.spec-hash";

  /** The service generation the workload was created from. */
  public static final String GENERATION = "berth.generation";

  private Labels() {}

  /** Whether Berth created it; anything else is only ever adopted as ignored, never touched. */
  public static boolean managed(Map<String, String> labels) {
    return labels.containsKey(SERVICE) && labels.containsKey(COMPONENT);
  }
}
