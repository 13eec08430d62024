package dev.berth.runtime.podman;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.local.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts podman processes: the one place that knows the binary and the environment they get ({@code
 * CONTAINERS_CONF}). Thread-safe; every command is its own process.
 */
final class PodmanCli implements AutoCloseable {

  private static final File NO_INPUT = new File("/dev/null");

  private final PodmanConfig config;

  /**
   * Drains both pipes of a command while the caller waits with a timeout: reading one pipe on the
   * calling thread could block forever on a podman that hangs with the pipe open, and leaving the
   * other unread could fill its buffer and stall podman (200 containers of {@code ps} JSON are
   * about 150 KiB, more than a pipe holds).
   */
  private final ExecutorService pipeReaders =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "podman-pipe");
            thread.setDaemon(true);
            return thread;
          });

  PodmanCli(PodmanConfig config) {
    this.config = config;
  }

  PodmanConfig config() {
    return config;
  }

  /** Runs {@code podman ARGS} to completion within the configured command timeout. */
  CommandResult run(List<String> args) {
    return run(args, config.commandTimeout());
  }

  /**
   * Runs {@code podman ARGS} to completion; kills it when it outlasts {@code timeout}.
   *
   * @throws RuntimeFailure UNAVAILABLE if podman cannot be started, FAILED if it timed out
   */
  CommandResult run(List<String> args, Duration timeout) {
    Process process = spawn(args, false);
    CompletableFuture<String> stdout = readAsync(process.getInputStream());
    CompletableFuture<String> stderr = readAsync(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new RuntimeFailure(
            Reason.FAILED,
            "podman " + args.get(0) + " did not finish within " + timeout,
            (String) null);
      }
      return new CommandResult(args, process.exitValue(), stdout.get(), stderr.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(Reason.FAILED, "interrupted waiting for podman " + args.get(0), e);
    } catch (ExecutionException e) {
      throw new RuntimeFailure(
          Reason.FAILED, "cannot read the output of podman " + args.get(0), e.getCause());
    }
  }

  /**
   * Starts {@code podman ARGS} and hands the process over, for output that streams (logs, events).
   * Its standard error joins standard output: a container's stderr is part of its log, and the line
   * in which a dying {@code podman events} says why is worth logging. The caller reads one pipe.
   *
   * @throws RuntimeFailure UNAVAILABLE if podman cannot be started
   */
  Process stream(List<String> args) {
    return spawn(args, true);
  }

  private Process spawn(List<String> args, boolean mergeStderr) {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add(config.podmanBinary());
    command.addAll(args);
    ProcessBuilder builder = ChildProcesses.builder(command).redirectInput(NO_INPUT);
    if (mergeStderr) {
      builder.redirectErrorStream(true);
    }
    if (config.containersConf() != null) {
      builder.environment().put("CONTAINERS_CONF", config.containersConf().toString());
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw new RuntimeFailure(
          Reason.UNAVAILABLE, "cannot start podman (" + config.podmanBinary() + ")", e);
    }
  }

  private CompletableFuture<String> readAsync(InputStream pipe) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (pipe) {
            return new String(pipe.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        pipeReaders);
  }

  @Override
  public void close() {
    pipeReaders.shutdownNow();
  }
}
