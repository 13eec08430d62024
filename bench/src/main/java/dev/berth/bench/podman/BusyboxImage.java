package dev.berth.bench.podman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container image built on the spot from the host's static busybox, since no registry is
 * reachable: {@code /bin/busybox}, relative links for the applets the benchmark runs, tarred and
 * imported.
 */
final class BusyboxImage {

  private static final List<Path> BUSYBOX =
      List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

  private BusyboxImage() {}

  static void build(HostShell shell, Path directory, String image)
      throws IOException, InterruptedException {
    Path busybox =
        BUSYBOX.stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () -> new IOException("no busybox to build an image from: install busybox-static"));
    Path rootfs = directory.resolve("rootfs");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"));
    for (String applet : List.of("sh", "sleep", "true")) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Path tar = directory.resolve("rootfs.tar");
    shell.run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
    shell.run(List.of("podman", "import", "--quiet", tar.toString(), image));
  }
}
