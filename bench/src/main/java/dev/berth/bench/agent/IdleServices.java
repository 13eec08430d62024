package dev.berth.bench.agent;

import dev.berth.proto.v1.AgentProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The services an idle node runs: {@code count} services of one {@code /bin/sleep} process each,
 * the first {@code routes} of them with an l4 route (so the agent allocates and keeps a host port
 * for each). Every one carries the run's marker in its environment, for {@link Leftovers}.
 */
final class IdleServices {

  static final String SOURCE = "bench:agent-footprint";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final int count;
  private final int routes;
  private final Leftovers leftovers;

  IdleServices(int count, int routes, Leftovers leftovers) {
    this.count = count;
    this.routes = routes;
    this.leftovers = leftovers;
  }

  int count() {
    return count;
  }

  List<AgentProto.ServiceSpec> specs() {
    List<AgentProto.ServiceSpec> specs = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      String name = String.format(Locale.ROOT, "fp-%03d", i);
      AgentProto.ComponentSpec.Builder component =
          AgentProto.ComponentSpec.newBuilder()
              .setName("sleeper")
              .setRuntime("process")
              .setExecutable("/bin/sleep")
              .addCmd("100000")
              .setRestart("always")
              .putEnv(Leftovers.VARIABLE, leftovers.value());
      if (i <= routes) {
        component.addRoutes(
            AgentProto.RouteSpec.newBuilder()
                .setName("tls")
                .setPort(443)
                .setMode("l4")
                .setHostname(name + ".footprint.test"));
      }
      specs.add(AgentProto.ServiceSpec.newBuilder().setName(name).addComponents(component).build());
    }
    return specs;
  }

  /** Applies every service in one request. */
  AgentProto.ApplyResponse apply(AgentClient.Connection agent) {
    return agent
        .call()
        .apply(
            AgentProto.ApplyRequest.newBuilder().setSource(SOURCE).addAllServices(specs()).build());
  }

  /** Waits until the node reports every component running; the time it took. */
  Duration awaitRunning(AgentClient.Connection agent) throws InterruptedException {
    long began = System.nanoTime();
    long deadline = began + TIMEOUT.toNanos();
    AgentProto.NodeStatusResponse status = agent.nodeStatus();
    while (status.getComponentsByStateOrDefault("running", 0) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not every service runs after " + TIMEOUT + ": " + status.getComponentsByStateMap());
      }
      Thread.sleep(100);
      status = agent.nodeStatus();
    }
    return Duration.ofNanos(System.nanoTime() - began);
  }

  /**
   * Deletes every service and waits until the node declares none and none of their processes is
   * left; the time it took.
   */
  Duration deleteAll(AgentClient.Connection agent) throws InterruptedException {
    long began = System.nanoTime();
    long deadline = began + TIMEOUT.toNanos();
    for (AgentProto.ServiceSpec spec : specs()) {
      agent
          .call()
          .deleteService(AgentProto.ServiceRequest.newBuilder().setName(spec.getName()).build());
    }
    while (agent.nodeStatus().getServices() > 0 || !leftovers.processes().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "services or their processes are still there "
                + TIMEOUT
                + " after deleting them: "
                + leftovers.processes().size()
                + " processes");
      }
      Thread.sleep(100);
    }
    return Duration.ofNanos(System.nanoTime() - began);
  }
}
