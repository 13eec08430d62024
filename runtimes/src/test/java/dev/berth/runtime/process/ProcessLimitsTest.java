package dev.berth.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.ProcessLimitSupport;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.ValidationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the process runtime finds the node's cgroup controllers and what it writes there, against
 * temporary directories shaped like cgroupfs (the mount points of the mountinfo given).
 */
class ProcessLimitsTest {

  @TempDir Path fs;

  private Path stateRoot() {
    return fs.resolve("state");
  }

  /** A mountinfo line for a filesystem of {@code type} at {@code point}. */
  private static String mount(int id, Path point, String type, String superOptions) {
    return id
        + " 31 0:"
        + id
        + " / "
        + point
        + " rw,relatime - "
        + type
        + " "
        + type
        + " "
        + superOptions;
  }

  /** The unified hierarchy alone, with {@code controllers} available at its root. */
  private ProcessLimits unified(String controllers) throws IOException {
    Path root = Files.createDirectories(fs.resolve("cgroup"));
    Files.writeString(root.resolve("cgroup.controllers"), controllers + "\n");
    return ProcessLimits.detect(
        List.of(mount(29, root, "cgroup2", "rw,nsdelegate")),
        List.of("0::/user.slice"),
        stateRoot());
  }

  /**
   * This machine's kind: cgroup v1 memory and cpu hierarchies, the agent in a memory cgroup of its
   * own, and a cgroup2 mount with hugetlb alone.
   */
  private ProcessLimits hybrid() throws IOException {
    Path memory = Files.createDirectories(fs.resolve("memory"));
    Files.createDirectories(memory.resolve("process_api/46b8"));
    Path cpu = Files.createDirectories(fs.resolve("cpu"));
    Path unified = Files.createDirectories(fs.resolve("unified"));
    Files.writeString(unified.resolve("cgroup.controllers"), "hugetlb\n");
    return ProcessLimits.detect(
        List.of(
            "31 23 0:28 / " + fs + " rw,relatime - tmpfs tmpfs rw,mode=755",
            mount(32, cpu, "cgroup", "rw,cpu"),
            mount(33, fs.resolve("cpuacct"), "cgroup", "rw,cpuacct"),
            mount(35, memory, "cgroup", "rw,memory"),
            mount(41, unified, "cgroup2", "rw")),
        List.of("4:memory:/process_api/46b8", "2:cpuacct:/", "1:cpu:/", "0::/"),
        stateRoot());
  }

  @Test
  void cgroupV2WithMemoryAndCpuLimitsBoth() throws IOException {
    ProcessLimits limits = unified("cpuset cpu io memory pids");

    assertThat(limits.support().memoryUnavailable()).isNull();
    assertThat(limits.support().cpuUnavailable()).isNull();
    assertThat(limits.of("proc-0123456789ab").directories())
        .singleElement()
        .satisfies(dir -> assertThat(dir.getParent()).isEqualTo(fs.resolve("cgroup/berth")));
  }

  @Test
  void cgroupV2EnablesTheControllersAboveAndWritesMemoryMaxAndCpuMax() throws IOException {
    WorkloadCgroup cgroup = unified("cpu memory pids").of("proc-0123456789ab");

    List<Path> procs = cgroup.prepare(64, 2);

    Path dir = cgroup.directories().get(0);
    assertThat(procs).containsExactly(dir.resolve("cgroup.procs"));
    assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo("67108864\n");
    assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("200000 100000\n");
    assertThat(Files.readString(fs.resolve("cgroup/cgroup.subtree_control")))
        .isEqualTo("+cpu +memory\n");
    assertThat(Files.readString(fs.resolve("cgroup/berth/cgroup.subtree_control")))
        .isEqualTo("+cpu +memory\n");
  }

  @Test
  void cgroupV2TurnsSwapOffAndKillsTheWholeGroupWhereTheKernelHasThoseFiles() throws IOException {
    WorkloadCgroup cgroup = unified("cpu memory").of("proc-0123456789ab");
    Path dir = Files.createDirectories(cgroup.directories().get(0));
    Files.writeString(dir.resolve("memory.swap.max"), "max\n");
    Files.writeString(dir.resolve("memory.oom.group"), "0\n");

    cgroup.prepare(32, 0);

    assertThat(Files.readString(dir.resolve("memory.swap.max"))).isEqualTo("0\n");
    assertThat(Files.readString(dir.resolve("memory.oom.group"))).isEqualTo("1\n");
    assertThat(dir.resolve("cpu.max")).as("no vcpus, no CPU limit").doesNotExist();
  }

  @Test
  void cgroupV2WithoutTheCpuControllerLimitsMemoryAndSaysWhyNotCpu() throws IOException {
    ProcessLimits limits = unified("memory pids");

    assertThat(limits.support().memoryUnavailable()).isNull();
    assertThat(limits.support().cpuUnavailable())
        .isEqualTo(
            "no writable cgroup cpu controller (cgroup v2 at "
                + fs.resolve("cgroup")
                + " has no cpu controller)");
  }

  @Test
  void cgroupV2SeenFromACgroupNamespaceWhoseRootHoldsTheAgentLimitsNothingAndSaysWhy()
      throws IOException {
    Path root = Files.createDirectories(fs.resolve("cgroup"));
    // Not the real root (it has a type), controllers not enabled below it, and a process in it.
    Files.writeString(root.resolve("cgroup.type"), "domain\n");
    Files.writeString(root.resolve("cgroup.subtree_control"), "\n");
    Files.writeString(root.resolve("cgroup.procs"), "1\n");

    ProcessLimits limits = unified("cpu memory");

    assertThat(limits.support().memoryUnavailable())
        .isEqualTo(
            "no writable cgroup memory controller (cgroup v2 at "
                + root
                + " is not the hierarchy's root and holds processes, so no controller can be"
                + " enabled below it (an agent in a container's cgroup namespace?))");
  }

  @Test
  void cgroupV2WithTheControllersEnabledBelowABusyRootIsUsable() throws IOException {
    Path root = Files.createDirectories(fs.resolve("cgroup"));
    Files.writeString(root.resolve("cgroup.type"), "domain\n");
    Files.writeString(root.resolve("cgroup.subtree_control"), "cpu memory\n");
    Files.writeString(root.resolve("cgroup.procs"), "1\n");

    ProcessLimits limits = unified("cpu memory");

    assertThat(limits.support().memoryUnavailable()).isNull();
    assertThat(limits.support().cpuUnavailable()).isNull();
  }

  @Test
  void aHybridNodeUsesTheV1HierarchiesWithMemoryBelowTheAgentsOwnCgroup() throws IOException {
    ProcessLimits limits = hybrid();

    assertThat(limits.support().memoryUnavailable()).isNull();
    assertThat(limits.support().cpuUnavailable()).isNull();
    assertThat(limits.of("proc-0123456789ab").directories())
        .extracting(Path::getParent)
        .containsExactly(fs.resolve("memory/process_api/46b8/berth"), fs.resolve("cpu/berth"));
  }

  @Test
  void cgroupV1WritesTheMemoryLimitWithSwapAndTheCfsQuota() throws IOException {
    WorkloadCgroup cgroup = hybrid().of("proc-0123456789ab");
    Path memory = Files.createDirectories(cgroup.directories().get(0));
    Files.writeString(memory.resolve("memory.memsw.limit_in_bytes"), "9223372036854771712\n");

    List<Path> procs = cgroup.prepare(32, 1);

    Path cpu = cgroup.directories().get(1);
    assertThat(procs).containsExactly(memory.resolve("cgroup.procs"), cpu.resolve("cgroup.procs"));
    assertThat(Files.readString(memory.resolve("memory.limit_in_bytes"))).isEqualTo("33554432\n");
    assertThat(Files.readString(memory.resolve("memory.memsw.limit_in_bytes")))
        .isEqualTo("33554432\n");
    assertThat(Files.readString(cpu.resolve("cpu.cfs_period_us"))).isEqualTo("100000\n");
    assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us"))).isEqualTo("100000\n");
  }

  @Test
  void aWorkloadWithOnlyAMemoryLimitJoinsOnlyTheMemoryHierarchy() throws IOException {
    WorkloadCgroup cgroup = hybrid().of("proc-0123456789ab");

    assertThat(cgroup.prepare(32, 0))
        .containsExactly(cgroup.directories().get(0).resolve("cgroup.procs"));
    assertThat(cgroup.directories().get(1)).doesNotExist();
  }

  @Test
  void aWorkloadWithoutLimitsGetsNoCgroup() throws IOException {
    WorkloadCgroup cgroup = hybrid().of("proc-0123456789ab");

    assertThat(cgroup.prepare(0, 0)).isEmpty();
    assertThat(fs.resolve("cpu/berth")).doesNotExist();
  }

  @Test
  void theOomKillCountIsReadFromMemoryOomControlOnV1AndMemoryEventsOnV2() throws IOException {
    WorkloadCgroup v1 = hybrid().of("proc-0123456789ab");
    Path memory = Files.createDirectories(v1.directories().get(0));
    Files.writeString(
        memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    WorkloadCgroup v2 = unified("memory").of("proc-0123456789ab");
    Path unified = Files.createDirectories(v2.directories().get(0));
    Files.writeString(
        unified.resolve("memory.events"), "low 0\nhigh 0\nmax 7\noom 2\noom_kill 2\n");

    assertThat(v1.oomKills()).contains(3L);
    assertThat(v2.oomKills()).contains(2L);
  }

  @Test
  void nothingMountedLimitsNothingAndSaysSo() {
    ProcessLimits limits =
        ProcessLimits.detect(
            List.of("31 23 0:28 / /sys rw - sysfs sysfs rw"), List.of("0::/"), stateRoot());

    assertThat(limits.support().memoryUnavailable())
        .isEqualTo(
            "no writable cgroup memory controller (no cgroup v2 or cgroup v1 memory hierarchy is"
                + " mounted)");
    assertThatThrownBy(() -> limits.check(64, 0))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC))
        .hasMessage(
            "process: this node cannot limit a process's memory: "
                + limits.support().memoryUnavailable());
    assertThatThrownBy(() -> limits.check(0, 1))
        .hasMessageStartingWith("process: this node cannot limit a process's CPU time: ");
  }

  @Test
  void theRefusalsServiceDefinitionsMdShowsAreWhatApplySaysOnSuchNodes() throws IOException {
    String page =
        Files.readString(
            Path.of(System.getProperty("basedir", "."))
                .resolve("../docs/service-definitions.md")
                .normalize());
    ProcessLimits nothingMounted = ProcessLimits.detect(List.of(), List.of("0::/"), stateRoot());
    ProcessLimits v2WithoutCpu = unified("memory pids");
    ComponentSpec limited =
        ComponentSpec.builder("app", RuntimeKind.PROCESS)
            .executable("/usr/bin/app")
            .memoryMb(64)
            .vcpus(1)
            .build();

    List<String> refusals =
        List.of(
            on(nothingMounted.support()).validate(ServiceSpec.of("app", limited)).get(0).toString(),
            on(v2WithoutCpu.support())
                .validate(ServiceSpec.of("app", limited))
                .get(0)
                .toString()
                .replace(fs.resolve("cgroup").toString(), "/sys/fs/cgroup"));

    assertThat(refusals).allSatisfy(refusal -> assertThat(page).contains("\n" + refusal + "\n"));
  }

  private static SpecValidator on(ProcessLimitSupport node) {
    return new SpecValidator(ValidationPolicy.STRICT.withProcessLimits(node));
  }

  @Test
  void aLimitlessSpecIsAcceptedWhereNothingCanBeLimited() {
    ProcessLimits limits = ProcessLimits.unavailable("no cgroups here", stateRoot());

    limits.check(0, 0);
  }

  @Test
  void staleCgroupsOfThisStateRootGoAndAllOthersStay() throws IOException {
    ProcessLimits limits = hybrid();
    Path stale = Files.createDirectories(limits.of("proc-00000000dead").directories().get(1));
    Path live = Files.createDirectories(limits.of("proc-0000000a11fe").directories().get(1));
    // Another state root's workload of the same id: another key before the id.
    String otherKey =
        stale.getFileName().toString().startsWith("0badc0de") ? "0badc0df" : "0badc0de";
    Path otherRoot = Files.createDirectories(stale.resolveSibling(otherKey + "-proc-00000000dead"));
    Path stranger = Files.createDirectories(stale.resolveSibling("somebody-else"));

    limits.removeStale("proc-0000000a11fe"::equals);

    assertThat(stale).doesNotExist();
    assertThat(live).isDirectory();
    assertThat(otherRoot).isDirectory();
    assertThat(stranger).isDirectory();
  }
}
