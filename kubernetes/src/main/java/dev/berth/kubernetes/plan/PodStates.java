package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthServiceStatus.ComponentStatus;
import dev.berth.spec.status.ActionFailure;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import dev.berth.spec.status.Exits;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a component's pods say that its Deployment does not: why its pod does not run, in the words
 * {@code berth status} uses on a node. A Deployment only counts ready replicas, so without this a
 * pod whose image cannot be pulled, or that crash-loops, would read "starting" for ever.
 *
 * <p>Only pods of the component's current spec hash count: a pod of an older spec (its
 * ReplicaSet's, on its way out) says nothing of the spec that is declared now. Of those, a pod
 * being deleted says nothing either; if one is ready, nothing is wrong; else the newest decides
 * (during a Recreate, or beside an evicted pod that stays behind as Failed).
 *
 * <p>Kubelet's words map onto the node's:
 *
 * <ul>
 *   <li>{@code ErrImagePull}, {@code ImagePullBackOff}, {@code InvalidImageName}: {@link
 *       ActionFailure#IMAGE_MISSING}, terminal as on a node (someone must bring the image or fix
 *       its name; kubelet keeps trying meanwhile);
 *   <li>{@code CrashLoopBackOff}: {@link ComponentPhase#CRASH_LOOP_BACK_OFF}, with the restart
 *       count and how the container last ended;
 *   <li>{@code CreateContainerConfigError} (a Secret or ConfigMap it names is missing, a {@code
 *       runAsNonRoot} image that runs as root): {@link ActionFailure#INVALID_SPEC}, the node's word
 *       for a spec the runtime refuses, terminal;
 *   <li>{@code CreateContainerError}, {@code RunContainerError}: {@link
 *       ActionFailure#RUNTIME_FAILED}, kubelet's message, not terminal (kubelet tries again);
 *   <li>a pod no node takes ({@code PodScheduled=False}, {@code Unschedulable}): {@link
 *       ComponentPhase#PENDING} with the scheduler's message, not a failure (a node may come).
 * </ul>
 *
 * <p>Anything else (a pod being created, a container starting, a probe not passed yet) adds nothing
 * to the Deployment's own view. The words change only when the pod's do, so an unchanged pod gives
 * an unchanged status; kubelet's messages that carry a time or a pod's uid are left out.
 */
final class PodStates {

  /** What the component's status says, from its pods. */
  record Finding(ComponentState state, String message) {}

  static final Set<String> IMAGE_PULL_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");

  /** Kubelet's reason between two pull attempts: its message says only "Back-off pulling image". */
  static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";

  static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
  static final String CONFIG_ERROR = "CreateContainerConfigError";
  static final Set<String> CREATE_FAILURES = Set.of("CreateContainerError", "RunContainerError");

  /** The reasons kubelet gives a container that ended, which say no more than its exit code. */
  private static final Set<String> PLAIN_ENDINGS = Set.of("Error", "Completed");

  private static final String POD_SCHEDULED = "PodScheduled";
  private static final String UNSCHEDULABLE = "Unschedulable";

  /**
   * Newest last: by creation time (RFC 3339 in UTC, as the API server writes it, so in text order;
   * none is oldest), then by name.
   */
  private static final Comparator<Pod> BY_AGE =
      Comparator.comparing(
              (Pod p) -> p.getMetadata().getCreationTimestamp(),
              Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .thenComparing(p -> p.getMetadata().getName());

  private PodStates() {}

  /**
   * What the pods of {@code component} at {@code specHash} say, or empty when they add nothing to
   * the Deployment's view.
   *
   * @param component the component's name, which is also its container's name in its pods; other
   *     containers (a mesh's sidecar) are not the component's
   * @param image the image the component declares, for the message
   * @param previous the component's status as last written, or null: an {@code ImagePullBackOff}
   *     keeps the message of the pull failure before it, which said why
   */
  static Optional<Finding> of(
      List<Pod> pods,
      Owner owner,
      String component,
      String specHash,
      String image,
      ComponentStatus previous) {
    Pod deciding = deciding(pods, owner, component, specHash);
    if (deciding == null) {
      return Optional.empty();
    }
    PodCondition scheduled = condition(deciding, POD_SCHEDULED);
    if (scheduled != null
        && Conditions.FALSE.equals(scheduled.getStatus())
        && UNSCHEDULABLE.equals(scheduled.getReason())) {
      return Optional.of(
          new Finding(
              ComponentPhase.PENDING,
              "no node takes its pod" + detail(scheduled.getMessage(), ": ")));
    }
    ContainerStatus status = containerStatus(deciding, component);
    ContainerStateWaiting waiting =
        status == null || status.getState() == null ? null : status.getState().getWaiting();
    String reason = waiting == null ? null : waiting.getReason();
    if (reason == null) {
      return Optional.empty();
    }
    if (IMAGE_PULL_FAILURES.contains(reason)) {
      return Optional.of(imageMissing(waiting, image, specHash, previous));
    }
    if (CRASH_LOOP_BACK_OFF.equals(reason)) {
      return Optional.of(new Finding(ComponentPhase.CRASH_LOOP_BACK_OFF, crashLoop(status)));
    }
    if (CONFIG_ERROR.equals(reason)) {
      return Optional.of(new Finding(ActionFailure.INVALID_SPEC, refused(waiting)));
    }
    if (CREATE_FAILURES.contains(reason)) {
      return Optional.of(new Finding(ActionFailure.RUNTIME_FAILED, refused(waiting)));
    }
    return Optional.empty();
  }

  /**
   * The pod that speaks for the component: of its pods at {@code specHash} that are not being
   * deleted, none when one of them is ready (nothing is wrong), else the newest; null when there is
   * none.
   */
  private static Pod deciding(List<Pod> pods, Owner owner, String component, String specHash) {
    List<Pod> current = new ArrayList<>();
    for (Pod pod : pods) {
      if (ofSpec(pod, owner, component, specHash)
          && pod.getMetadata().getDeletionTimestamp() == null) {
        current.add(pod);
      }
    }
    if (current.stream().anyMatch(p -> ready(p, component))) {
      return null;
    }
    return current.stream().max(BY_AGE).orElse(null);
  }

  /**
   * {@code its image X cannot be pulled: ErrImagePull (kubelet's message)}. Kubelet alternates a
   * pull failure, whose message says why, with {@code ImagePullBackOff}, whose message does not:
   * the back-off keeps the message before it, so that status neither loses the cause nor flips with
   * each attempt.
   */
  private static Finding imageMissing(
      ContainerStateWaiting waiting, String image, String specHash, ComponentStatus previous) {
    if (IMAGE_PULL_BACK_OFF.equals(waiting.getReason())
        && previous != null
        && ActionFailure.IMAGE_MISSING.wire().equals(previous.state())
        && specHash.equals(previous.specHash())
        && previous.message() != null) {
      return new Finding(ActionFailure.IMAGE_MISSING, previous.message());
    }
    return new Finding(
        ActionFailure.IMAGE_MISSING,
        "its image "
            + image
            + " cannot be pulled: "
            + waiting.getReason()
            + detail(waiting.getMessage(), " (", ")"));
  }

  /** {@code restarted 5 times (last exited with code 1)}, as a node says it. */
  private static String crashLoop(ContainerStatus status) {
    int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
    ContainerStateTerminated last =
        status.getLastState() == null ? null : status.getLastState().getTerminated();
    if (last == null) {
      return "restarted " + restarts + " times";
    }
    Integer code = last.getExitCode();
    if (code == null && last.getSignal() != null && last.getSignal() > 0) {
      code = 128 + last.getSignal(); // the exit code a shell or a runtime gives a signal's death
    }
    String how = last.getReason();
    return "restarted "
        + restarts
        + " times (last "
        + Exits.describe(code)
        + (how == null || PLAIN_ENDINGS.contains(how) ? "" : ", " + how)
        + ")";
  }

  /**
   * {@code kubelet cannot create its container: CreateContainerConfigError (kubelet's message)}.
   */
  private static String refused(ContainerStateWaiting waiting) {
    return "kubelet cannot create its container: "
        + waiting.getReason()
        + detail(waiting.getMessage(), " (", ")");
  }

  /** Whether {@code pod} is one of {@code component}'s at {@code specHash}, by its labels. */
  private static boolean ofSpec(Pod pod, Owner owner, String component, String specHash) {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> labels = pod.getMetadata().getLabels();
    return (namespace == null || namespace.equals(owner.namespace()))
        && labels != null
        && owner.name().equals(labels.get(ClusterLabels.SERVICE))
        && component.equals(labels.get(ClusterLabels.COMPONENT))
        && specHash.equals(labels.get(ClusterLabels.SPEC_HASH));
  }

  /** Running and ready: a pod that recovered clears what its restarts said. */
  private static boolean ready(Pod pod, String component) {
    ContainerStatus status = containerStatus(pod, component);
    return status != null
        && Boolean.TRUE.equals(status.getReady())
        && status.getState() != null
        && status.getState().getRunning() != null;
  }

  private static ContainerStatus containerStatus(Pod pod, String container) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      if (container.equals(status.getName())) {
        return status;
      }
    }
    return null;
  }

  private static PodCondition condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition condition : pod.getStatus().getConditions()) {
      if (type.equals(condition.getType())) {
        return condition;
      }
    }
    return null;
  }

  private static String detail(String message, String before) {
    return detail(message, before, "");
  }

  private static String detail(String message, String before, String after) {
    return message == null || message.isBlank() ? "" : before + message.strip() + after;
  }
}
