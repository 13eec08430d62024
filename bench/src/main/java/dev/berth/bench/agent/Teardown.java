package dev.berth.bench.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Leaves nothing behind, whether the run ends, fails or is interrupted (Ctrl-C runs it from a
 * shutdown hook while the main thread may still be launching): every agent JVM the run started is
 * stopped, every service process still carrying the run's marker is killed, and the run's directory
 * is deleted. Once it ran, no agent can be started any more.
 */
final class Teardown implements Runnable {

  private final Path root;
  private final Leftovers leftovers;
  private final List<Process> agents = new ArrayList<>();
  private boolean done;

  Teardown(Path root, Leftovers leftovers) {
    this.root = root;
    this.leftovers = leftovers;
  }

  /** Starts an agent JVM that {@link #run()} will stop if it still runs then. */
  synchronized Process start(ProcessBuilder builder) throws IOException {
    if (done) {
      throw new IllegalStateException("the run is being torn down");
    }
    Process process = builder.start();
    agents.add(process);
    agents.removeIf(each -> !each.isAlive() && each != process);
    return process;
  }

  @Override
  public synchronized void run() {
    if (done) {
      return;
    }
    done = true;
    // Agents first: a live agent would start again the services killed below.
    for (Process agent : agents) {
      if (agent.isAlive()) {
        System.out.println("teardown: stopping agent pid " + agent.pid());
        agent.destroy();
      }
    }
    for (Process agent : agents) {
      try {
        if (!agent.waitFor(15, TimeUnit.SECONDS)) {
          agent.destroyForcibly();
          agent.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        agent.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    int killed = leftovers.kill();
    if (killed > 0) {
      System.out.println("teardown: killed " + killed + " service processes left running");
    }
    try {
      deleteTree(root);
    } catch (IOException | UncheckedIOException e) {
      System.out.println("teardown: could not delete " + root + ": " + e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
