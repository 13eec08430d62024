/**
 * The Kubernetes planner: a pure function from a BerthService and what the cluster holds to what to
 * write, delete and report. It has no client and no clock, so that a reconciler only observes,
 * plans and applies:
 *
 * <pre>{@code
 * KubernetesPlanner planner = new KubernetesPlanner(config);          // OperatorConfig.DEFAULTS
 * Admission admission = stages.admit(ServiceKey.of(resource));        // ClusterStages.gate(...)
 * KubernetesPlan plan =
 *     planner.plan(PlanInput.of(resource, observed, admission, now)); // observed: ObservedObjects
 * plan.writes()       // create or replace each (no server-side apply); empty when idle
 * plan.deletions()    // delete each: only the BerthService's own objects
 * plan.status()       // the whole status to write (observedGeneration, conditions, components, routes)
 * plan.requeueAfter() // look again then, or null
 * planner.cleanup(Owner.of(resource), observed) // in the Cleaner: routes first, then the rest
 * }</pre>
 *
 * <p>{@link dev.berth.kubernetes.plan.KubernetesPlan#kind()} says why nothing is written when
 * nothing is: a refused spec, a boot stage that holds the service, or a name conflict.
 */
package dev.berth.kubernetes.plan;
