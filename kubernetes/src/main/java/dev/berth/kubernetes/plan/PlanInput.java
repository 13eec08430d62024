package dev.berth.kubernetes.plan;

import dev.berth.core.stage.Admission;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything the planner looks at for one BerthService.
 *
 * @param owner the BerthService: namespace, name, uid, generation
 * @param spec its spec as the cluster holds it (may be null)
 * @param previous its status as last written, or null: conditions keep their lastTransitionTime
 *     unless their status flips, and a refused spec keeps the components' status it had
 * @param observed what the cluster holds
 * @param admission whether its boot stage lets it in (controller-core's {@code OrderedStages}
 *     answers this); {@link Admission#GRANTED} where there are no stages
 * @param now the time a flipped condition gets as its lastTransitionTime
 */
public record PlanInput(
    Owner owner,
    BerthServiceSpec spec,
    BerthServiceStatus previous,
    ObservedObjects observed,
    Admission admission,
    Instant now) {

  public PlanInput {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(observed, "observed");
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(now, "now");
  }

  /** The input for {@code resource} as the cluster holds it. */
  public static PlanInput of(
      BerthService resource, ObservedObjects observed, Admission admission, Instant now) {
    return new PlanInput(
        Owner.of(resource), resource.getSpec(), resource.getStatus(), observed, admission, now);
  }
}
