package dev.berth.runtime.qemu;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests that boot real VMs need from the machine, and the guest they boot.
 *
 * <p>The kernel is a Debian one that {@code .ci/prepare-test-kernel} caches: the file named by
 * {@code BERTH_TEST_KERNEL}, else {@code ${XDG_CACHE_HOME:-~/.cache}/berth/test-kernel/vmlinuz},
 * with the ACPI button module {@code button.ko} beside it. The guest is that kernel and an
 * initramfs built here from {@code /bin/busybox} (busybox-static). Where something is missing the
 * tests are skipped with a message saying what, except in CI ({@code CI=true}), where they fail:
 * there a missing kernel is a broken build, not a reason to test less.
 */
public final class QemuTestEnvironment {

  /** What the guest prints once it is up (followed by " acpi=yes" or " acpi=no"). */
  public static final String READY = "berth-vm-ready";

  /** What starts each line in which the guest prints one variable of init's environment. */
  public static final String ENV = "berth-env ";

  /** What the guest prints when it heard the ACPI power button and powers off. */
  static final String POWERING_OFF = "berth-vm-powering-off";

  /** Kernel command line: listen for the ACPI power button and power off on a press. */
  static final String HONOUR_ACPI = "berth.acpi=poweroff";

  /** The busybox that the initramfs runs; Debian's busybox-static is linked statically. */
  static final Path BUSYBOX = Path.of("/bin/busybox");

  /**
   * The guest's /init (busybox sh as PID 1). Debian's kernel has the ACPI power button as a module,
   * so without {@code button.ko} a power-down request reaches nobody, which is what a guest that
   * ignores ACPI looks like. With it, the kernel counts presses in sysfs and this script polls the
   * count: busybox's acpid would need evdev, another module. Before it says it is up, it prints its
   * environment, one variable a line after {@link #ENV}: what the kernel handed to init.
   */
  static final String INIT =
      """
      #!/bin/sh
      mount -t proc proc /proc
      mount -t sysfs sysfs /sys
      acpi=no
      case " $(cat /proc/cmdline) " in
        *" %s "*) insmod /button.ko && acpi=yes ;;
      esac
      env | while read -r variable; do echo "%s$variable"; done
      echo "%s acpi=$acpi"
      while true; do
        if [ "$acpi" = yes ]; then
          read presses rest < /sys/firmware/acpi/interrupts/ff_pwr_btn
          if [ "$presses" != 0 ]; then
            echo "%s"
            poweroff -f
          fi
        fi
        sleep 1
      done
      """
          .formatted(HONOUR_ACPI, ENV, READY, POWERING_OFF);

  private static final List<String> APPLETS =
      List.of("sh", "mount", "cat", "sleep", "insmod", "poweroff", "env");

  private QemuTestEnvironment() {}

  /** QEMU, or the test is skipped (failed in CI). */
  static void requireQemu() {
    require(
        QemuLauncher.locate(QemuConfig.DEFAULT_BINARY).isPresent(),
        QemuConfig.DEFAULT_BINARY + " is not installed (apt-get install qemu-system-x86)");
  }

  /**
   * Builds the guest's image directory ({@code kernel}, {@code initrd}) under {@code directory}, or
   * skips the test (fails it in CI) if the kernel or busybox is missing.
   */
  public static Path guestImage(Path directory) {
    requireQemu();
    Path kernel = kernel();
    require(
        Files.isRegularFile(kernel),
        "no test kernel at "
            + kernel
            + ": run .ci/prepare-test-kernel (or set BERTH_TEST_KERNEL to a bzImage)");
    Path module = kernel.resolveSibling("button.ko");
    require(
        Files.isRegularFile(module),
        "no button.ko beside " + kernel + ": run .ci/prepare-test-kernel");
    require(Files.isExecutable(BUSYBOX), BUSYBOX + " is missing (apt-get install busybox-static)");
    try {
      Path image = Files.createDirectories(directory.resolve("guest"));
      Files.createSymbolicLink(image.resolve(VmImage.KERNEL_FILE), kernel.toAbsolutePath());
      Files.write(image.resolve(VmImage.INITRD_FILE), initramfs(Files.readAllBytes(module)));
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path kernel() {
    String configured = System.getenv("BERTH_TEST_KERNEL");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String xdgCache = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdgCache != null && !xdgCache.isBlank()
            ? Path.of(xdgCache)
            : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("berth/test-kernel/vmlinuz");
  }

  private static byte[] initramfs(byte[] buttonModule) throws IOException {
    CpioArchive archive =
        new CpioArchive()
            .directory("bin")
            .directory("dev")
            .directory("proc")
            .directory("sys")
            // The kernel opens it for PID 1's output; without it init would write to nowhere.
            .characterDevice("dev/console", 5, 1)
            .file("bin/busybox", 0755, Files.readAllBytes(BUSYBOX))
            .file("button.ko", 0644, buttonModule)
            .file("init", 0755, INIT.getBytes(StandardCharsets.UTF_8));
    for (String applet : APPLETS) {
      archive.symlink("bin/" + applet, "busybox");
    }
    return archive.toBytes();
  }

  /**
   * Kills every QEMU whose pid file lies under {@code stateRoot}: whatever a test left running (a
   * failed assertion midway) must not outlive it. Only processes that are QEMU are touched.
   */
  public static void killLeftovers(Path stateRoot) {
    if (!Files.isDirectory(stateRoot)) {
      return;
    }
    List<Path> pidFiles;
    try (Stream<Path> walk = Files.walk(stateRoot)) {
      pidFiles =
          walk.filter(path -> path.getFileName().toString().equals(VmDirectory.PID_FILE)).toList();
    } catch (IOException | UncheckedIOException e) {
      return;
    }
    for (Path pidFile : pidFiles) {
      pidIn(pidFile)
          .flatMap(ProcessHandle::of)
          .filter(process -> process.info().command().map(c -> c.contains("qemu")).orElse(false))
          .ifPresent(QemuTestEnvironment::kill);
    }
  }

  /** Sends a signal with kill(1): the JDK only sends SIGTERM and SIGKILL. */
  static void signal(long pid, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -" + signal + " " + pid + " failed");
    }
  }

  private static void kill(ProcessHandle process) {
    process.destroyForcibly();
    try {
      process.onExit().get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // A zombie never "exits" for the JDK where PID 1 does not reap; it is dead all the same.
    }
  }

  private static Optional<Long> pidIn(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void require(boolean present, String missing) {
    if (present) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("CI=true, and the QEMU tests cannot run: " + missing);
    }
    Assumptions.abort("QEMU tests skipped: " + missing);
  }
}
