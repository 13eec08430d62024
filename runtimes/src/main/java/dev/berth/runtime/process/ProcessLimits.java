package dev.berth.runtime.process;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.validation.ProcessLimitSupport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * How this node limits a process's memory and CPU time: the cgroup hierarchies the agent can write,
 * found once when the runtime opens, or why it cannot.
 *
 * <p>Each controller is looked for where the kernel has it. Where the unified hierarchy (cgroup v2)
 * lists it in its root's {@code cgroup.controllers}, Berth's cgroup is {@code berth} at that root,
 * with the controller enabled in the root's and its own {@code cgroup.subtree_control}, as
 * kubelet's and podman's cgroupfs drivers do: cgroup v2 allows no controller below a cgroup that
 * holds processes, and the agent's own cgroup holds the agent. Where a cgroup v1 hierarchy carries
 * it, Berth's cgroup is {@code berth} in the agent's own cgroup of that hierarchy, so that whatever
 * limits the agent limits its workloads too. Either way, the directory must be writable (by root,
 * on a usual node); a controller found nowhere writable leaves that limit unavailable, and the
 * reason is what apply says.
 *
 * <p>Each limited workload gets a cgroup of its own in each hierarchy it needs, named {@code
 * KEY-ID}: its id, after a key of the state root, so that two runtimes on two state roots (two
 * agents, or tests) never take each other's cgroups for stale ones. See {@link WorkloadCgroup} for
 * what is written there.
 */
public final class ProcessLimits {

  private static final System.Logger LOG = System.getLogger(ProcessLimits.class.getName());

  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Path OWN_CGROUPS = Path.of("/proc/self/cgroup");

  private final List<CgroupHierarchy> hierarchies;
  private final String memoryUnavailable;
  private final String cpuUnavailable;
  private final String key;

  private ProcessLimits(
      List<CgroupHierarchy> hierarchies,
      String memoryUnavailable,
      String cpuUnavailable,
      String key) {
    this.hierarchies = List.copyOf(hierarchies);
    this.memoryUnavailable = memoryUnavailable;
    this.cpuUnavailable = cpuUnavailable;
    this.key = key;
  }

  /**
   * What this machine offers, from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}, for
   * the runtime keeping its workloads under {@code stateRoot}. Writes nothing: Berth's cgroups are
   * created with the first limited workload.
   */
  public static ProcessLimits detect(Path stateRoot) {
    List<String> mountinfo;
    List<String> own;
    try {
      mountinfo = Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8);
      own = Files.readAllLines(OWN_CGROUPS, StandardCharsets.UTF_8);
    } catch (IOException e) {
      String reason = "no writable cgroup controller (cannot read " + MOUNTINFO + ": not Linux?)";
      return new ProcessLimits(List.of(), reason, reason, keyOf(stateRoot));
    }
    return detect(mountinfo, own, stateRoot);
  }

  /**
   * As {@link #detect(Path)}, from the lines of a {@code mountinfo} and of a {@code
   * /proc/PID/cgroup} (whose mount points may be anywhere: tests shape a temporary directory like
   * cgroupfs).
   */
  static ProcessLimits detect(List<String> mountinfo, List<String> ownCgroups, Path stateRoot) {
    List<Mount> mounts = mountinfo.stream().map(Mount::parse).flatMap(Optional::stream).toList();
    // Controllers found in one directory share a hierarchy (both, on cgroup v2).
    Map<Path, CgroupHierarchy> byBase = new LinkedHashMap<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    for (String controller : List.of(CgroupHierarchy.MEMORY, CgroupHierarchy.CPU)) {
      Located located = locate(controller, mounts, ownCgroups);
      if (located.hierarchy() == null) {
        unavailable.put(controller, located.unavailable());
        continue;
      }
      byBase.merge(
          located.hierarchy().base(),
          located.hierarchy(),
          (a, b) -> {
            Set<String> both = new LinkedHashSet<>(a.controllers());
            both.addAll(b.controllers());
            return new CgroupHierarchy(a.version(), both, a.base());
          });
    }
    String memoryUnavailable = unavailable.get(CgroupHierarchy.MEMORY);
    String cpuUnavailable = unavailable.get(CgroupHierarchy.CPU);
    return new ProcessLimits(
        List.copyOf(byBase.values()), memoryUnavailable, cpuUnavailable, keyOf(stateRoot));
  }

  /** A node where neither limit can be enforced, for {@code reason}. */
  static ProcessLimits unavailable(String reason, Path stateRoot) {
    return new ProcessLimits(List.of(), reason, reason, keyOf(stateRoot));
  }

  /** Where a controller is: its hierarchy, or why there is none Berth can write. */
  private record Located(CgroupHierarchy hierarchy, String unavailable) {}

  private static Located locate(String controller, List<Mount> mounts, List<String> ownCgroups) {
    List<String> tried = new ArrayList<>();
    for (Mount mount : mounts) {
      if (!mount.type().equals("cgroup2")) {
        continue;
      }
      Set<String> available = words(read(mount.point().resolve("cgroup.controllers")));
      if (!available.contains(controller)) {
        tried.add("cgroup v2 at " + mount.point() + " has no " + controller + " controller");
        continue;
      }
      if (!writable(mount.point().resolve(CgroupHierarchy.BERTH), mount.point())) {
        tried.add("cgroup v2 at " + mount.point() + " is not writable by the agent");
        continue;
      }
      if (!enablable(mount.point(), controller)) {
        tried.add(
            "cgroup v2 at "
                + mount.point()
                + " is not the hierarchy's root and holds processes, so no controller can be"
                + " enabled below it (an agent in a container's cgroup namespace?)");
        continue;
      }
      return new Located(new CgroupHierarchy(2, Set.of(controller), mount.point()), null);
    }
    for (Mount mount : mounts) {
      if (!mount.type().equals("cgroup") || !mount.options().contains(controller)) {
        continue;
      }
      Optional<String> own = ownCgroup(ownCgroups, controller);
      Path base = own.flatMap(mount::directoryOf).orElse(null);
      if (base == null || !Files.isDirectory(base)) {
        tried.add(
            "the agent's own cgroup of the cgroup v1 "
                + controller
                + " hierarchy at "
                + mount.point()
                + " is not visible"
                + own.map(path -> " (" + path + ")").orElse(""));
        continue;
      }
      if (!writable(base.resolve(CgroupHierarchy.BERTH), base)) {
        tried.add("cgroup v1 " + controller + " at " + base + " is not writable by the agent");
        continue;
      }
      return new Located(new CgroupHierarchy(1, Set.of(controller), base), null);
    }
    if (tried.isEmpty()) {
      tried.add("no cgroup v2 or cgroup v1 " + controller + " hierarchy is mounted");
    }
    return new Located(
        null,
        "no writable cgroup " + controller + " controller (" + String.join("; ", tried) + ")");
  }

  /**
   * Whether {@code controller} is, or may be, enabled for the children of the cgroup v2 at {@code
   * root}: it is already, or {@code root} is the hierarchy's own root (which has no {@code
   * cgroup.type}, and is exempt from the rule that a cgroup with processes has no controllers
   * enabled for children), or it holds no process.
   */
  private static boolean enablable(Path root, String controller) {
    return words(read(root.resolve("cgroup.subtree_control"))).contains(controller)
        || !Files.exists(root.resolve("cgroup.type"))
        || read(root.resolve("cgroup.procs")).isBlank();
  }

  /** Berth's cgroup if it exists, else where it would be created. */
  private static boolean writable(Path berth, Path parent) {
    return Files.isDirectory(berth) ? Files.isWritable(berth) : Files.isWritable(parent);
  }

  /** The agent's own cgroup in the v1 hierarchy of {@code controller}: {@code /a/b}. */
  private static Optional<String> ownCgroup(List<String> lines, String controller) {
    for (String line : lines) {
      String[] fields = line.split(":", 3);
      if (fields.length == 3 && Set.of(fields[1].split(",")).contains(controller)) {
        return Optional.of(fields[2]);
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static Set<String> words(String text) {
    return Set.of(text.strip().split("\\s+"));
  }

  /** A short, stable digest of the state root's absolute path. */
  private static String keyOf(Path stateRoot) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  stateRoot
                      .toAbsolutePath()
                      .normalize()
                      .toString()
                      .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  // ---- what the runtime asks ----

  /** What apply is to accept: the facts validation is given on this node. */
  public ProcessLimitSupport support() {
    return new ProcessLimitSupport(memoryUnavailable, cpuUnavailable);
  }

  /** For the agent's log: where limits go, and what is missing. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    hierarchies.forEach(hierarchy -> parts.add(hierarchy.toString()));
    if (memoryUnavailable != null) {
      parts.add("memory not enforced: " + memoryUnavailable);
    }
    if (cpuUnavailable != null && !cpuUnavailable.equals(memoryUnavailable)) {
      parts.add("vcpus not enforced: " + cpuUnavailable);
    }
    return String.join("; ", parts);
  }

  /**
   * Refuses a limit this node cannot enforce: never run a process unlimited that was declared
   * limited.
   *
   * @throws RuntimeFailure INVALID_SPEC naming the limit and the reason
   */
  void check(long memoryMb, int vcpus) {
    if (memoryMb > 0 && memoryUnavailable != null) {
      throw invalid("this node cannot limit a process's memory: " + memoryUnavailable);
    }
    if (vcpus > 0 && cpuUnavailable != null) {
      throw invalid("this node cannot limit a process's CPU time: " + cpuUnavailable);
    }
  }

  void check(WorkloadSpec spec) {
    check(spec.memoryMb(), spec.vcpus());
  }

  private static RuntimeFailure invalid(String message) {
    return new RuntimeFailure(Reason.INVALID_SPEC, "process: " + message, (String) null);
  }

  /** The cgroup of workload {@code id}: its directories in each hierarchy, existing or not. */
  WorkloadCgroup of(String id) {
    String name = key + "-" + id;
    List<WorkloadCgroup.Part> parts = new ArrayList<>();
    for (CgroupHierarchy hierarchy : hierarchies) {
      parts.add(new WorkloadCgroup.Part(hierarchy, hierarchy.berth().resolve(name)));
    }
    return new WorkloadCgroup(id, parts);
  }

  /**
   * Removes the cgroups of this state root's workloads that {@code live} does not know: left by a
   * removal that a crash cut short. Cgroups of other state roots, and anything else, are left.
   */
  void removeStale(Predicate<String> live) {
    Set<String> stale = new LinkedHashSet<>();
    String prefix = key + "-";
    for (CgroupHierarchy hierarchy : hierarchies) {
      try (Stream<Path> children = Files.list(hierarchy.berth())) {
        children
            .map(child -> child.getFileName().toString())
            .filter(
                name ->
                    name.startsWith(prefix) && Files.isDirectory(hierarchy.berth().resolve(name)))
            .map(name -> name.substring(prefix.length()))
            .filter(id -> !live.test(id))
            .forEach(stale::add);
      } catch (IOException e) {
        // No cgroup of Berth's in this hierarchy yet: nothing stale.
      }
    }
    for (String id : stale) {
      try {
        of(id).remove();
        LOG.log(Level.INFO, "process: removed the cgroup of " + id + ", a workload that is gone");
      } catch (RuntimeFailure e) {
        LOG.log(Level.WARNING, e.getMessage());
      }
    }
  }

  /**
   * One line of {@code mountinfo}: where a filesystem of {@code type} is mounted, which directory
   * of it is there ({@code root}), and its super options (a v1 cgroup's controllers).
   */
  private record Mount(String root, Path point, String type, Set<String> options) {

    static Optional<Mount> parse(String line) {
      String[] fields = line.split(" ");
      int separator = List.of(fields).indexOf("-");
      if (separator < 6 || fields.length < separator + 4) {
        return Optional.empty();
      }
      return Optional.of(
          new Mount(
              unescape(fields[3]),
              Path.of(unescape(fields[4])),
              fields[separator + 1],
              Set.of(fields[separator + 3].split(","))));
    }

    /** The directory of cgroup {@code path} (as /proc/PID/cgroup names it) under this mount. */
    Optional<Path> directoryOf(String path) {
      String inside =
          root.equals("/")
              ? path
              : path.startsWith(root + "/") || path.equals(root)
                  ? path.substring(root.length())
                  : null;
      if (inside == null) {
        return Optional.empty();
      }
      Path directory = point;
      for (String part : inside.split("/")) {
        if (!part.isEmpty()) {
          directory = directory.resolve(part);
        }
      }
      return Optional.of(directory);
    }

    /** mountinfo writes a space, tab, newline and backslash as octal escapes. */
    private static String unescape(String field) {
      return field
          .replace("\\040", " ")
          .replace("\\011", "\t")
          .replace("\\012", "\n")
          .replace("\\134", "\\");
    }
  }
}
