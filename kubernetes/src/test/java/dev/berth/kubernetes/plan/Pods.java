package dev.berth.kubernetes.plan;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pods as kubelet and the scheduler report them, for the planner's tests: a pod of a Deployment
 * carries its pod template's labels (those of the spec it was made from), and a status.
 */
final class Pods {

  static final String CREATED = "2026-12-02T09:59:00Z";

  private Pods() {}

  /** A pod of {@code deployment} created at {@link #CREATED}, with {@code status}. */
  static Pod of(Deployment deployment, String name, PodStatus status) {
    return of(deployment, name, CREATED, status);
  }

  static Pod of(Deployment deployment, String name, String created, PodStatus status) {
    Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(deployment.getMetadata().getNamespace())
        .withLabels(new LinkedHashMap<>(labels))
        .withCreationTimestamp(created)
        .endMetadata()
        .withStatus(status)
        .build();
  }

  /** Its container {@code container} waits for {@code reason}, as kubelet says. */
  static PodStatus waiting(String container, String reason, String message) {
    return status(
        "Pending",
        container,
        0,
        false,
        new ContainerStateBuilder()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .build(),
        null);
  }

  /** Its container waits out kubelet's back-off after it ended {@code restarts} times. */
  static PodStatus crashLooping(String container, int restarts, int exitCode, String how) {
    return status(
        "Running",
        container,
        restarts,
        false,
        new ContainerStateBuilder()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off 40s restarting failed container=" + container)
            .endWaiting()
            .build(),
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(how)
            .endTerminated()
            .build());
  }

  /** Its container runs, {@code ready} or not, after {@code restarts} restarts. */
  static PodStatus running(String container, int restarts, boolean ready) {
    return status(
        "Running",
        container,
        restarts,
        ready,
        new ContainerStateBuilder()
            .withNewRunning()
            .withStartedAt("2026-12-02T09:59:30Z")
            .endRunning()
            .build(),
        null);
  }

  /** No node takes it: the scheduler's condition, and no container yet. */
  static PodStatus unschedulable(String message) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(
            new PodConditionBuilder()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .build())
        .build();
  }

  private static PodStatus status(
      String phase,
      String container,
      int restarts,
      boolean ready,
      ContainerState state,
      ContainerState last) {
    return new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(
            new PodConditionBuilder().withType("PodScheduled").withStatus("True").build())
        .addToContainerStatuses(
            new ContainerStatusBuilder()
                .withName(container)
                .withImage(KubernetesPlannerTest.IMAGE)
                .withRestartCount(restarts)
                .withReady(ready)
                .withState(state)
                .withLastState(last)
                .build())
        .build();
  }
}
