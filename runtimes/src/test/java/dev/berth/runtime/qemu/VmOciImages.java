package dev.berth.runtime.qemu;

import dev.berth.runtime.podman.HostPodman;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * VM images published as OCI images, built on the spot (no registry is reachable): {@code FROM
 * scratch} with the given files under {@code /berth}, as a unikernel's build would publish them.
 * Every image it builds is removed by {@link #close}.
 */
public final class VmOciImages implements AutoCloseable {

  private final HostPodman podman;
  private final Path directory;
  private final String repository =
      "localhost/berth-test-vm-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> built = new ArrayList<>();

  /**
   * @param directory where build contexts go (a test's temporary directory)
   */
  public VmOciImages(HostPodman podman, Path directory) {
    this.podman = podman;
    this.directory = directory;
  }

  /**
   * Builds {@code repository:tag} holding each file of {@code files} (name under {@code /berth}:
   * file on the host, links followed) and returns its reference.
   */
  public String build(String tag, Map<String, Path> files) throws IOException {
    Path context = Files.createDirectories(directory.resolve("context-" + tag));
    Path berth = Files.createDirectories(context.resolve("berth"));
    for (Map.Entry<String, Path> file : files.entrySet()) {
      Files.copy(file.getValue(), berth.resolve(file.getKey()));
    }
    Files.writeString(context.resolve("Containerfile"), "FROM scratch\nCOPY berth/ /berth/\n");
    String reference = repository + ":" + tag;
    built.add(reference);
    podman.run("build", "--quiet", "--tag", reference, context.toString());
    return reference;
  }

  /** The kernel and initramfs of the test guest ({@link QemuTestEnvironment#guestImage}). */
  public String guest(String tag, Path guestDirectory) throws IOException {
    return build(
        tag,
        Map.of(
            VmImage.KERNEL_FILE, guestDirectory.resolve(VmImage.KERNEL_FILE),
            VmImage.INITRD_FILE, guestDirectory.resolve(VmImage.INITRD_FILE)));
  }

  @Override
  public void close() throws IOException {
    for (String reference : built) {
      podman.run("rmi", "--force", "--ignore", reference);
    }
  }
}
