package dev.berth.runtime.qemu;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.local.LocalWorkloadRuntime;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.ProcessTable;
import dev.berth.runtime.podman.PodmanImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs unikernels (or any kernel, or bootable disk) as QEMU virtual machines on the node.
 *
 * <p>What a spec's {@code image} names (a path on the node, or an OCI image pulled through podman
 * and cached under {@value #IMAGE_CACHE} in the state root), and how its {@code env} and {@code
 * args} become the kernel's command line, is written on {@link VmImage} and {@link
 * KernelCommandLine}; the QEMU command line on {@link QemuCommand}. Each VM gets user-mode
 * networking with the spec's ports forwarded from the host (to 127.0.0.1 unless a binding names
 * another IPv4 address), {@code memoryMb} and {@code vcpus} from the spec (or the config's defaults
 * when 0), its serial console in a log file (what {@link #logs} reads) and a QMP socket through
 * which this runtime asks its state and stops it.
 *
 * <p>A VM must outlive the agent, so QEMU daemonizes and everything this runtime knows lives on
 * disk, one directory per VM under the state root (see {@link VmDirectory}): a new instance on the
 * same root adopts the VMs a previous one started, finding each QEMU by its pid and kernel start
 * time ({@link ProcessIdentity}); {@link LocalWorkloadRuntime} keeps them, and this class says how
 * a VM is launched, stopped and described. QEMU is never a child of the agent, so its exit code is
 * unknown (DIED events carry null).
 *
 * <p>No crash leaves a QEMU nobody lists: a VM's record is on disk before its QEMU starts (as being
 * started), and a new instance completes a start that a crash cut short (a QEMU that wrote its pid
 * file and names the VM's directory is that start's run; one still setting up is ended) and deletes
 * a directory without a record (a create cut short before it started anything).
 *
 * <p>Stopping is a power-down request to the guest (ACPI, through QMP {@code system_powerdown}),
 * then, after the timeout, QMP {@code quit} (QEMU ends the VM at once, as pulling the plug), then
 * SIGKILL should QEMU itself not respond.
 *
 * <p>What a VM cannot honour: {@code mounts} are refused as INVALID_SPEC (there is no shared
 * filesystem); {@code user}, {@code network}, {@code init}, {@code workingDirectory} and {@code
 * restart} are ignored (restarting is the reconcilers' job), and so is {@code env} for a disk image
 * (it boots its own command line). Only VMs created through this runtime are listed, not other
 * QEMUs on the node. One runtime instance per state root: two would each think they own it.
 */
public final class QemuRuntime extends LocalWorkloadRuntime<TrackedVm> {

  /** Every id starts with it, so that ids of different runtimes never collide. */
  public static final String ID_PREFIX = "vm-";

  /** The directory of the state root that holds the content of OCI images ({@link ImageCache}). */
  static final String IMAGE_CACHE = "images";

  /** QEMU's port forwards take an IPv4 address only. */

  /** A unix socket's path is at most 107 bytes (sun_path, with its terminating zero). */
  private static final int MAX_SOCKET_PATH = 107;

  /** How long a QMP exchange may take: QEMU answers in milliseconds unless it is stuck. */
  static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);

  /** How long QEMU may take to exit after {@code quit}, before it is killed. */
  static final Duration QUIT_WAIT = Duration.ofSeconds(5);

  /** How long the kernel may take to remove a killed QEMU (freeing guest memory takes a moment). */
  static final Duration KILL_WAIT = Duration.ofSeconds(5);

  /**
   * How often the process table is checked for VMs that exited. Polled rather than {@link
   * ProcessHandle#onExit()}: QEMU is never our child, and for a non-child the JDK polls anyway,
   * backing off to 5 s between looks, and takes a zombie for alive, so where PID 1 does not reap
   * orphans (a container without an init) it would never see the VM go.
   */
  static final Duration EXIT_POLL = Duration.ofMillis(500);

  /** How often console logs are checked for rotation: one stat per VM. */
  static final Duration ROTATION_INTERVAL = Duration.ofSeconds(10);

  private static final Duration STEP = Duration.ofMillis(100);

  private static final System.Logger LOG = System.getLogger(QemuRuntime.class.getName());

  /** What a stop had to do; logged, and what tests check to know which path they exercised. */
  enum Shutdown {
    /** QEMU was not running. */
    NOT_RUNNING,
    /** The guest powered itself off after the ACPI power-down request. */
    POWERED_DOWN,
    /** The guest ignored the request (or there was no time for it); QMP quit ended QEMU. */
    QUIT,
    /** QEMU did not answer QMP, or did not exit after quit; SIGKILL ended it. */
    KILLED
  }

  private final QemuConfig config;
  private final QemuLauncher launcher = new QemuLauncher();
  private final PodmanImages podman;
  private final ImageCache images;

  /**
   * Opens the state root (creating it if needed) and adopts the VMs found there. QEMU itself is
   * only looked for when a VM is run: a node without it gets UNAVAILABLE then, not here.
   *
   * @throws IllegalArgumentException if the state root is too long a path for QMP's unix sockets
   * @throws RuntimeFailure UNAVAILABLE if the state root cannot be created or read
   */
  public QemuRuntime(QemuConfig config) {
    super("qemu", WorkloadKind.UNIKERNEL, ID_PREFIX, shortEnough(config.stateRoot()));
    this.config = config;
    Path root = config.stateRoot().toAbsolutePath();
    this.podman = new PodmanImages(config.podman());
    this.images = new ImageCache(podman, root.resolve(IMAGE_CACHE));
    images.deletePartials();
    adoptAll();
    every(EXIT_POLL, "polling for exited VMs", this::pollExits);
    every(ROTATION_INTERVAL, "rotating console logs", this::rotateLogs);
  }

  /** The state root, if QMP sockets under it fit in a unix socket's path. */
  private static Path shortEnough(Path stateRoot) {
    Path root = stateRoot.toAbsolutePath();
    String longestSocket =
        root.resolve(ID_PREFIX + "0".repeat(12)).resolve(VmDirectory.QMP_SOCKET).toString();
    if (longestSocket.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException(
          "qemu: state root "
              + root
              + " is too long: QMP sockets under it would pass the "
              + MAX_SOCKET_PATH
              + "-byte limit of unix socket paths");
    }
    return root;
  }

  /**
   * Checks that the image is on the node. A path is only looked at, whatever the policy; an OCI
   * image is pulled as {@code policy} says and its content copied into the cache.
   *
   * @throws RuntimeFailure IMAGE_MISSING if it cannot be had or nothing bootable is there (see
   *     {@link VmImage}), UNAVAILABLE if an OCI image is named and podman cannot be started
   */
  @Override
  public void ensureImage(String image, PullPolicy policy) {
    if (VmImage.isPath(image)) {
      VmImage.resolve(image);
    } else {
      images.ensure(image, policy);
    }
  }

  /**
   * Refuses what a VM cannot do; {@link #run} then creates the VM's directory and starts its QEMU,
   * returning once QEMU runs (the guest may still be booting), or leaves nothing behind. Besides
   * INVALID_SPEC, a run fails with IMAGE_MISSING, PORT_TAKEN, UNAVAILABLE if there is no QEMU, and
   * FAILED with QEMU's message otherwise.
   */
  @Override
  protected void check(WorkloadSpec spec) {
    VmSpecRules.check(spec);
  }

  @Override
  protected TrackedVm create(Path directory, WorkloadSpec spec) {
    String id = directory.getFileName().toString();
    return new TrackedVm(new VmDirectory(directory), VmRecord.created(id, spec, Instant.now()));
  }

  /** The first boot: the image must be there, and a disk takes no kernel command line. */
  @Override
  protected void launchCreated(TrackedVm vm) {
    WorkloadSpec spec = vm.record().spec();
    VmImage image = resolve(spec.image());
    if (image instanceof VmImage.Disk && !spec.args().isEmpty()) {
      throw invalid("args are a kernel command line; a disk image boots its own: " + spec.args());
    }
    vm.directory().write(vm.record());
    boot(vm, image);
  }

  /**
   * Boots an exited VM again from its recorded spec.
   *
   * @throws RuntimeFailure IMAGE_MISSING if its image is gone meanwhile, or as {@link #run}
   */
  @Override
  protected void launch(TrackedVm vm) {
    noteExit(vm);
    VmImage image = resolve(vm.record().spec().image());
    try {
      vm.launching();
    } catch (UncheckedIOException e) {
      throw failed("cannot record the start of " + vm.id(), e);
    }
    boot(vm, image);
  }

  /**
   * Asks the guest to power off, then ends QEMU after {@code timeout} (at once for a timeout of
   * zero: QMP quit, or SIGKILL); returns once QEMU is gone.
   *
   * @throws RuntimeFailure FAILED if QEMU survives SIGKILL
   */
  @Override
  protected void halt(TrackedVm vm, Duration timeout) {
    shutDown(vm, timeout);
  }

  /** {@link #stop}, telling what it took. */
  Shutdown shutDown(String id, Duration timeout) {
    return locked(id, vm -> shutDown(vm, timeout));
  }

  /**
   * Stops the exit polling and log rotation as well as the events, and podman's image store. The
   * VMs keep running; a new instance on the same state root adopts them.
   */
  @Override
  public void close() {
    super.close();
    podman.close();
  }

  /**
   * What a VM boots: a path as it is now, an OCI image from the cache (copied out of podman's store
   * again if the cache lost it, but never pulled: pulling is {@link #ensureImage}'s).
   */
  private VmImage resolve(String image) {
    if (image == null || image.isBlank()) {
      throw invalid("image is required");
    }
    return VmImage.isPath(image) ? VmImage.resolve(image) : images.resolve(image);
  }

  /** Starts a new run of the VM; the caller holds its operations lock. */
  private void boot(TrackedVm vm, VmImage image) {
    List<String> argv = QemuCommand.of(config, vm.record().spec(), image, vm.directory());
    ProcessIdentity process = launcher.launch(argv, vm.directory());
    Instant startedAt =
        process.startedAt().equals(Instant.EPOCH) ? Instant.now() : process.startedAt();
    try {
      vm.started(process, startedAt);
    } catch (UncheckedIOException e) {
      // Unrecorded, a restarted agent could never find it: better not to run it at all.
      process.find().ifPresent(ProcessHandle::destroyForcibly);
      throw failed("cannot record the start of " + vm.id(), e);
    }
    publish(RuntimeEvent.Type.STARTED, vm, null);
  }

  /** Takes the steps of a stop in turn until QEMU is gone; the caller holds the operations lock. */
  private Shutdown shutDown(TrackedVm vm, Duration timeout) {
    VmRecord record = vm.record();
    Optional<ProcessHandle> found =
        record.process() == null || record.exitSeen() ? Optional.empty() : record.process().find();
    if (found.isEmpty()) {
      noteExit(vm);
      return Shutdown.NOT_RUNNING;
    }
    ProcessIdentity qemu = record.process();
    Shutdown how;
    if (!timeout.isNegative()
        && !timeout.isZero()
        && ask(vm, "system_powerdown", min(QMP_TIMEOUT, timeout))
        && gone(qemu, timeout)) {
      how = Shutdown.POWERED_DOWN;
    } else if (ask(vm, "quit", QMP_TIMEOUT) && gone(qemu, QUIT_WAIT)) {
      how = Shutdown.QUIT;
    } else {
      found.get().destroyForcibly();
      if (!gone(qemu, KILL_WAIT)) {
        throw new RuntimeFailure(
            Reason.FAILED,
            "qemu: " + record.id() + " (pid " + qemu.pid() + ") survived SIGKILL",
            (String) null);
      }
      how = Shutdown.KILLED;
    }
    LOG.log(Level.INFO, "qemu: stopped " + record.id() + ": " + how);
    noteExit(vm);
    return how;
  }

  /** Sends a QMP command; whether QEMU accepted it. A deaf QEMU is the next step's business. */
  private static boolean ask(TrackedVm vm, String command, Duration timeout) {
    try {
      vm.qmp(command, timeout);
      return true;
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "qemu: " + command + " to " + vm.record().id() + " failed", e);
      return false;
    }
  }

  /** Waits up to {@code timeout} for the process to be gone. */
  private boolean gone(ProcessIdentity process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.alive()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(STEP.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failed("interrupted while stopping pid " + process.pid(), e);
      }
    }
    return true;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Records (and tells) the end of the current run if it is over and nobody has yet. */
  private void noteExit(TrackedVm vm) {
    VmRecord record = vm.record();
    if (record.process() != null && !record.exitSeen() && !record.process().alive()) {
      exited(vm, record.process());
    }
  }

  private void exited(TrackedVm vm, ProcessIdentity process) {
    try {
      if (vm.exited(process, Instant.now())) {
        publish(RuntimeEvent.Type.DIED, vm, null);
      }
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, "qemu: cannot record the exit of " + vm.record().id(), e);
    }
  }

  private void pollExits() {
    for (TrackedVm vm : tracked()) {
      try {
        if (!vm.removed()) {
          noteExit(vm);
        }
      } catch (RuntimeException e) {
        // Thrown out of a scheduled task, it would cancel every later poll.
        LOG.log(Level.WARNING, "qemu: cannot check on " + vm.record().id(), e);
      }
    }
  }

  private void rotateLogs() {
    for (TrackedVm vm : tracked()) {
      // A VM busy with an operation (a removal deleting its files) waits for the next round.
      if (!vm.operations().tryLock()) {
        continue;
      }
      try {
        if (!vm.removed()) {
          vm.directory().console().rotateIfLarger(config.logMaxBytes(), config.logKeep());
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "qemu: cannot rotate the console log of " + vm.record().id(), e);
      } finally {
        vm.operations().unlock();
      }
    }
  }

  @Override
  protected Workload describe(TrackedVm vm) {
    VmRecord record = vm.record();
    WorkloadSpec spec = record.spec();
    List<PortBinding> ports =
        spec.ports().stream()
            .map(
                port ->
                    new PortBinding(
                        port.name(),
                        QemuCommand.hostIp(port),
                        port.hostPort(),
                        port.containerPort()))
            .toList();
    return new Workload(
        record.id(),
        spec.name(),
        spec.labels(),
        vm.state(QMP_TIMEOUT),
        null,
        record.startedAt(),
        spec.image(),
        ports,
        WorkloadKind.UNIKERNEL);
  }

  @Override
  protected Optional<TrackedVm> adopt(Path path) {
    VmDirectory directory = new VmDirectory(path);
    Optional<VmRecord> record = directory.read();
    if (record.isEmpty()) {
      return Optional.empty();
    }
    TrackedVm adopted = new TrackedVm(directory, record.get());
    if (record.get().process() == null) {
      recoverLaunch(adopted);
    }
    // Its exit, if it ended while no agent looked, is noticed by the next poll.
    return Optional.of(adopted);
  }

  /**
   * Completes a start that a crash cut short: the record says a start was under way (or a create:
   * the record is written before QEMU starts), QEMU's pid file how far it got. A QEMU that wrote
   * it, and names this VM's directory in its arguments, is that start's run, adopted; a QEMU still
   * setting up without one is ended, and the VM is merely created, for the reconcilers to start.
   * Never leaves a QEMU that no record names.
   */
  private void recoverLaunch(TrackedVm vm) {
    VmDirectory directory = vm.directory();
    String id = vm.record().id();
    List<ProcessHandle> qemus = ProcessTable.naming(directory.path());
    Optional<ProcessIdentity> run =
        QemuLauncher.pidIn(directory)
            .flatMap(pid -> qemus.stream().filter(q -> q.pid() == pid).findFirst())
            .flatMap(ProcessIdentity::of);
    try {
      if (run.isPresent()) {
        vm.started(run.get(), run.get().startedAt());
        LOG.log(
            Level.INFO,
            "qemu: "
                + id
                + " was being started by a crash; adopted its QEMU, pid "
                + run.get().pid());
        return;
      }
      for (ProcessHandle qemu : qemus) {
        qemu.destroyForcibly();
        ProcessIdentity.of(qemu).ifPresent(identity -> gone(identity, KILL_WAIT));
      }
      Files.deleteIfExists(directory.pidFile());
      Files.deleteIfExists(directory.qmpSocket());
      LOG.log(Level.INFO, "qemu: " + id + " was being started by a crash; created, not running");
    } catch (IOException | UncheckedIOException e) {
      throw failed("cannot adopt " + id, e);
    }
  }

  private static RuntimeFailure invalid(String message) {
    return new RuntimeFailure(Reason.INVALID_SPEC, "qemu: " + message, (String) null);
  }
}
