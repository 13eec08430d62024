package dev.berth.reconcilers.describe;

import dev.berth.core.controller.ControllerHealth;
import dev.berth.core.stage.StageStatus;
import dev.berth.store.registry.IgnoredWorkload;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node says of itself.
 *
 * @param registryId the id its workloads carry in their {@code berth.registry} label
 * @param services how many services are declared
 * @param components how many components they declare
 * @param componentsByState how many components are in each state, counted as {@link
 *     ServiceDescriptions} describes them (so {@code pending} until observed by this node)
 * @param ignored the workloads that are not this registry's: reported, never touched
 * @param ready whether every loop has reconciled what it listed
 * @param faults what keeps the node from doing its job, one line each; empty when healthy
 * @param stages boot-stage progress; empty without stages
 * @param loops each loop's health
 */
public record NodeSummary(
    String registryId,
    int services,
    int components,
    Map<String, Integer> componentsByState,
    List<IgnoredWorkload> ignored,
    boolean ready,
    List<String> faults,
    List<StageStatus> stages,
    List<ControllerHealth> loops) {

  /** Copies the collections, components by state in state order. */
  public NodeSummary {
    // In state order, as `berth node` lists them.
    componentsByState = Collections.unmodifiableMap(new TreeMap<>(componentsByState));
    ignored = List.copyOf(ignored);
    faults = List.copyOf(faults);
    stages = List.copyOf(stages);
    loops = List.copyOf(loops);
  }

  /** Nothing keeps the node from doing its job. */
  public boolean healthy() {
    return faults.isEmpty();
  }
}
