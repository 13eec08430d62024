package dev.berth.store.registry;

import dev.berth.spec.model.ServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of services to declare together, all or nothing.
 *
 * @param services the desired specs
 * @param source who applies them; recorded on each service, and the scope of {@code prune}
 * @param prune also remove services of the same source that are not in the set
 * @param dryRun compute and return the changes, write nothing
 * @param expectedGenerations per service name, the generation the caller last read; a mismatch
 *     fails the whole apply with a conflict (0 means "must not exist yet")
 * @param takeOver let this source take services declared by another source; without it, such a
 *     service fails the whole apply with a conflict naming the source that owns it (as kubectl's
 *     field-manager conflicts and {@code --force-conflicts})
 */
public record ApplyRequest(
    List<ServiceSpec> services,
    String source,
    boolean prune,
    boolean dryRun,
    Map<String, Long> expectedGenerations,
    boolean takeOver) {

  /** Copies the services and expected generations; requires a source of 1 to 1024 characters. */
  public ApplyRequest {
    services = List.copyOf(services);
    Objects.requireNonNull(source, "source");
    if (source.isBlank() || source.length() > 1024) {
      throw new IllegalArgumentException("source must be 1..1024 characters");
    }
    expectedGenerations = expectedGenerations == null ? Map.of() : Map.copyOf(expectedGenerations);
  }

  /**
   * Declares {@code services} for {@code source}: no prune, no dry run, no expected generations, no
   * take-over.
   */
  public static ApplyRequest of(String source, List<ServiceSpec> services) {
    return new ApplyRequest(services, source, false, false, Map.of(), false);
  }

  /** This request with {@code newServices} instead of its services. */
  public ApplyRequest withServices(List<ServiceSpec> newServices) {
    return new ApplyRequest(newServices, source, prune, dryRun, expectedGenerations, takeOver);
  }

  /** This request, pruning the source's other services or not. */
  public ApplyRequest withPrune(boolean newPrune) {
    return new ApplyRequest(services, source, newPrune, dryRun, expectedGenerations, takeOver);
  }

  /** This request, as a dry run that writes nothing or not. */
  public ApplyRequest withDryRun(boolean newDryRun) {
    return new ApplyRequest(services, source, prune, newDryRun, expectedGenerations, takeOver);
  }

  /**
   * This request, expecting {@code service} at {@code generation} (0: not declared yet); a mismatch
   * fails the whole apply with a conflict.
   */
  public ApplyRequest expecting(String service, long generation) {
    var expected = new java.util.HashMap<>(expectedGenerations);
    expected.put(service, generation);
    return new ApplyRequest(services, source, prune, dryRun, expected, takeOver);
  }

  /** This request, taking over services another source declared or not. */
  public ApplyRequest withTakeOver(boolean newTakeOver) {
    return new ApplyRequest(services, source, prune, dryRun, expectedGenerations, newTakeOver);
  }
}
