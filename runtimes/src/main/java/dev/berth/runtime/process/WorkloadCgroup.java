package dev.berth.runtime.process;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One workload's cgroup: a directory in each hierarchy of {@link ProcessLimits}, and what is
 * written there.
 *
 * <ul>
 *   <li>{@code memory} MiB: cgroup v2 {@code memory.max}, with {@code memory.swap.max} 0 where swap
 *       is accounted (so that the limit is not a limit on RAM alone) and {@code memory.oom.group} 1
 *       (the kernel ends the whole workload, not one of its processes, as kubelet asks); cgroup v1
 *       {@code memory.limit_in_bytes}, and {@code memory.memsw.limit_in_bytes} the same where swap
 *       is accounted.
 *   <li>{@code vcpus}: {@code vcpus} periods of CPU time per period of {@value #CPU_PERIOD_US} µs:
 *       cgroup v2 {@code cpu.max}, cgroup v1 {@code cpu.cfs_quota_us} and {@code cpu.cfs_period_us}
 *       (as {@code docker --cpus} and kubelet's CPU limit).
 * </ul>
 *
 * The limits are written before every run (a removed cgroup, after a reboot say, is created again);
 * the process joins the cgroup before it execs its program ({@link SupervisorScript}). The kernel
 * counts its OOM kills ({@code oom_kill} in v2's {@code memory.events}, v1's {@code
 * memory.oom_control}): a run during which the count rose was ended for exceeding its limit.
 */
final class WorkloadCgroup {

  /** The period of the CPU quota, µs: the kernel's default, and kubelet's. */
  static final long CPU_PERIOD_US = 100_000;

  /** How long removal waits for the processes of a cgroup to leave it once killed. */
  static final Duration REMOVE_WAIT = Duration.ofSeconds(5);

  /** The workload's directory in one hierarchy. */
  record Part(CgroupHierarchy hierarchy, Path directory) {

    Path procs() {
      return directory.resolve("cgroup.procs");
    }
  }

  private final String id;
  private final List<Part> parts;

  WorkloadCgroup(String id, List<Part> parts) {
    this.id = id;
    this.parts = List.copyOf(parts);
  }

  /**
   * Creates the directories a workload limited to {@code memoryMb} MiB and {@code vcpus} CPUs needs
   * (none if it has no limit), writes the limits there, and returns the {@code cgroup.procs} files
   * its process is to join.
   *
   * @throws RuntimeFailure FAILED naming the file that could not be written
   */
  List<Path> prepare(long memoryMb, int vcpus) {
    List<Path> procs = new ArrayList<>();
    for (Part part : parts) {
      boolean memory = memoryMb > 0 && part.hierarchy().has(CgroupHierarchy.MEMORY);
      boolean cpu = vcpus > 0 && part.hierarchy().has(CgroupHierarchy.CPU);
      if (!memory && !cpu) {
        continue;
      }
      try {
        createBerth(part.hierarchy());
        mkdir(part.directory());
        Path dir = part.directory();
        if (part.hierarchy().version() == 2) {
          if (memory) {
            write(dir.resolve("memory.max"), Long.toString(memoryMb * 1024 * 1024));
            writeIfPresent(dir.resolve("memory.swap.max"), "0");
            writeIfPresent(dir.resolve("memory.oom.group"), "1");
          }
          if (cpu) {
            write(dir.resolve("cpu.max"), vcpus * CPU_PERIOD_US + " " + CPU_PERIOD_US);
          }
        } else {
          if (memory) {
            String bytes = Long.toString(memoryMb * 1024 * 1024);
            // memsw may not go below memory's limit: memory's first (a new cgroup has neither).
            write(dir.resolve("memory.limit_in_bytes"), bytes);
            writeIfPresent(dir.resolve("memory.memsw.limit_in_bytes"), bytes);
          }
          if (cpu) {
            write(dir.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
            write(dir.resolve("cpu.cfs_quota_us"), Long.toString(vcpus * CPU_PERIOD_US));
          }
        }
      } catch (IOException e) {
        throw new RuntimeFailure(
            Reason.FAILED, "process: cannot limit " + id + " (" + part.hierarchy() + ")", e);
      }
      procs.add(part.procs());
    }
    return procs;
  }

  /**
   * How many processes of the workload the kernel has killed for exceeding its memory limit, ever;
   * empty if it has no memory cgroup or the kernel does not count them.
   */
  Optional<Long> oomKills() {
    for (Part part : parts) {
      if (!part.hierarchy().has(CgroupHierarchy.MEMORY) || !Files.isDirectory(part.directory())) {
        continue;
      }
      String file = part.hierarchy().version() == 2 ? "memory.events" : "memory.oom_control";
      try {
        for (String line : Files.readAllLines(part.directory().resolve(file))) {
          if (line.startsWith("oom_kill ")) {
            return Optional.of(Long.parseLong(line.substring("oom_kill ".length()).strip()));
          }
        }
      } catch (IOException | NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Its directory in each hierarchy, whether it exists or not. */
  List<Path> directories() {
    return parts.stream().map(Part::directory).toList();
  }

  /**
   * Removes the workload's cgroups. Its processes are stopped already; one still in a cgroup (a
   * daemon its program left behind, which no process tree shows) is Berth's by where it is, and is
   * killed.
   *
   * @throws RuntimeFailure FAILED if a cgroup is still there after {@link #REMOVE_WAIT}
   */
  void remove() {
    for (Part part : parts) {
      long deadline = System.nanoTime() + REMOVE_WAIT.toNanos();
      while (Files.isDirectory(part.directory())) {
        try {
          Files.delete(part.directory());
        } catch (NoSuchFileException gone) {
          break;
        } catch (IOException busy) {
          if (System.nanoTime() - deadline >= 0) {
            throw new RuntimeFailure(
                Reason.FAILED,
                "process: cannot remove the cgroup " + part.directory() + " of " + id,
                busy);
          }
          killMembers(part);
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
      }
    }
  }

  private static void killMembers(Part part) {
    try {
      for (String pid : Files.readAllLines(part.procs())) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Gone meanwhile, or not a cgroup: the next rmdir tells.
    }
  }

  /** Berth's cgroup in the hierarchy, with the controllers enabled for its children (cgroup v2). */
  private static void createBerth(CgroupHierarchy hierarchy) throws IOException {
    if (hierarchy.version() == 2) {
      enable(hierarchy.base(), hierarchy);
    }
    mkdir(hierarchy.berth());
    if (hierarchy.version() == 2) {
      enable(hierarchy.berth(), hierarchy);
    }
  }

  private static void enable(Path cgroup, CgroupHierarchy hierarchy) throws IOException {
    Path control = cgroup.resolve("cgroup.subtree_control");
    String enabled = Files.exists(control) ? Files.readString(control) : "";
    List<String> missing =
        hierarchy.controllers().stream()
            .sorted()
            .filter(controller -> !List.of(enabled.strip().split("\\s+")).contains(controller))
            .map(controller -> "+" + controller)
            .toList();
    if (!missing.isEmpty()) {
      write(control, String.join(" ", missing));
    }
  }

  private static void mkdir(Path directory) throws IOException {
    try {
      Files.createDirectory(directory);
    } catch (FileAlreadyExistsException exists) {
      // Created by an earlier run, or by another runtime's first workload at the same moment.
    }
  }

  private static void write(Path file, String value) throws IOException {
    try {
      Files.writeString(
          file,
          value + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new IOException("cannot write " + value + " to " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeIfPresent(Path file, String value) throws IOException {
    if (Files.exists(file)) {
      write(file, value);
    }
  }
}
