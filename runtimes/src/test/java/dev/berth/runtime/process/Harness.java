package dev.berth.runtime.process;

import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.ProcessTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A state root in a test's temporary directory, the runtimes opened on it and the processes they
 * started; {@link #close()} closes the runtimes and kills every process any state file names, so
 * that no test leaves one behind, whatever it asserted.
 */
final class Harness implements AutoCloseable {

  /** A ceiling for anything awaited: generous, since a loaded CI machine is slow, not wrong. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  final Path root;
  private final List<ProcessRuntime> opened = new ArrayList<>();
  private final List<ProcessHandle> strays = new ArrayList<>();

  Harness(Path temporary) {
    this.root = temporary.resolve("state");
  }

  ProcessRuntime open() {
    return open(ProcessRuntimeConfig.of(root));
  }

  ProcessRuntime open(ProcessRuntimeConfig config) {
    ProcessRuntime runtime = new ProcessRuntime(config);
    opened.add(runtime);
    return runtime;
  }

  /** The events of {@code runtime}, collected as they come. */
  static List<RuntimeEvent> events(ProcessRuntime runtime) {
    List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    runtime.watch(events::add);
    return events;
  }

  /** A workload running {@code script} with {@code /bin/sh -c}. */
  static WorkloadSpec.Builder shell(String script) {
    return WorkloadSpec.builder("test", WorkloadKind.PROCESS)
        .executable("/bin/sh")
        .args("-c", script);
  }

  /** A process the test starts itself, killed on close. */
  ProcessHandle stray(String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectErrorStream(true)
            .start();
    strays.add(process.toHandle());
    return process.toHandle();
  }

  /** Kills it later, if the test has not. */
  void killOnClose(ProcessHandle process) {
    strays.add(process);
  }

  Path directoryOf(String id) {
    return root.resolve(id);
  }

  ProcessRecord recordOf(String id) {
    return new WorkloadDirectory(directoryOf(id)).read().orElseThrow();
  }

  @Override
  public void close() {
    opened.forEach(ProcessRuntime::close);
    List<ProcessHandle> left = new ArrayList<>(strays);
    for (String id : directories()) {
      new WorkloadDirectory(root.resolve(id))
          .read()
          .map(ProcessRecord::identity)
          .flatMap(ProcessIdentity::find)
          .ifPresent(left::add);
    }
    left.addAll(ProcessTable.naming(root));
    for (ProcessHandle process : left) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    for (ProcessHandle process : left) {
      process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
    }
  }

  /** The names of the directories in the state root (workloads or not); none if it is absent. */
  List<String> directories() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.map(path -> path.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
