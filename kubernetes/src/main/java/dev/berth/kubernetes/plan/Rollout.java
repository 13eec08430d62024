package dev.berth.kubernetes.plan;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.time.Duration;

/**
 * How a component's {@code update} policy becomes its Deployment's rollout: the node's strategy
 * ({@link UpdatePolicy#strategyFor}, so that one spec is replaced the same way on both), its
 * deadline, and for {@code beside} its drain.
 *
 * <ul>
 *   <li>{@code recreate}: strategy {@code Recreate}, never two pods at once, as on a node.
 *   <li>{@code beside}: {@code RollingUpdate} with maxSurge 1 and maxUnavailable 0, the cluster's
 *       way of starting the new pod beside the old and removing the old only once the new one is
 *       ready. The drain is a preStop {@code sleep} (no binary in the image needed): the old pod
 *       keeps serving what is in flight while it is taken out of its Service's endpoints, then is
 *       stopped with kubelet's usual grace, which the pod's grace period is raised by.
 *   <li>{@code deadline}: the Deployment's progressDeadlineSeconds. A rollout past it is reported
 *       by the Deployment ({@code Progressing=False}, {@code ProgressDeadlineExceeded}) while the
 *       old pod (beside) keeps serving, as on a node.
 * </ul>
 *
 * @param strategy the strategy the component is replaced with
 * @param deadlineSeconds the progress deadline, whole seconds rounded up
 * @param drainSeconds how long the old pod keeps serving before it is stopped; 0 for none (recreate
 *     stops the old pod before the new one starts, so nothing is left to drain)
 */
record Rollout(UpdateStrategy strategy, long deadlineSeconds, long drainSeconds) {

  /**
   * kubelet's grace period between SIGTERM and SIGKILL when a pod sets none: what the container is
   * given to stop once its drain has passed.
   */
  static final long STOP_GRACE_SECONDS = 30;

  static Rollout of(ComponentSpec c) {
    UpdateStrategy strategy = UpdatePolicy.strategyFor(c);
    long drain = strategy == UpdateStrategy.BESIDE ? seconds(c.update().drain()) : 0;
    return new Rollout(strategy, Math.max(1, seconds(c.update().deadline())), drain);
  }

  /** The Deployment's strategy. */
  DeploymentStrategy deploymentStrategy() {
    DeploymentStrategy deploymentStrategy = new DeploymentStrategy();
    if (strategy == UpdateStrategy.BESIDE) {
      deploymentStrategy.setType("RollingUpdate");
      RollingUpdateDeployment rolling = new RollingUpdateDeployment();
      rolling.setMaxSurge(new IntOrString(1));
      rolling.setMaxUnavailable(new IntOrString(0));
      deploymentStrategy.setRollingUpdate(rolling);
    } else {
      deploymentStrategy.setType("Recreate");
    }
    return deploymentStrategy;
  }

  /** The container's preStop sleep for the drain, or null without one. */
  Lifecycle lifecycle() {
    if (drainSeconds == 0) {
      return null;
    }
    LifecycleHandler preStop = new LifecycleHandler();
    preStop.setSleep(new SleepAction(drainSeconds));
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.setPreStop(preStop);
    return lifecycle;
  }

  /**
   * The pod's terminationGracePeriodSeconds, or null for kubelet's: the preStop sleep counts
   * against it, so it is the drain plus the usual time to stop.
   */
  Long terminationGracePeriodSeconds() {
    return drainSeconds == 0 ? null : drainSeconds + STOP_GRACE_SECONDS;
  }

  /** Whole seconds, rounded up: Kubernetes counts in seconds, and a shorter wait is not honest. */
  static long seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis / 1000 + (millis % 1000 == 0 ? 0 : 1);
  }
}
