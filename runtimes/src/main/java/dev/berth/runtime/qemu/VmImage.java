package dev.berth.runtime.qemu;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a unikernel spec's {@code image} names: an absolute path on the node, or a reference to an
 * OCI image.
 *
 * <ul>
 *   <li>A <b>directory</b> holding a file {@code kernel} and, optionally, a file {@code initrd}:
 *       the kernel is booted directly ({@code -kernel}, {@code -initrd}), and its command line
 *       ({@code -append}) is the spec's environment and args ({@link KernelCommandLine}). A
 *       directory without {@code kernel} but with {@code disk.img} is that disk.
 *   <li>A <b>regular file</b>: a bootable disk image (what Nanos' {@code ops build} makes), raw or
 *       qcow2, attached as a virtio disk ({@code -drive ...,snapshot=on}). The image itself is
 *       never written: the guest's writes go to a throw-away overlay, so one image serves many VMs,
 *       as a container image does. A disk boots its own kernel with its own command line, so the
 *       spec's args must be empty, and its environment does not reach the guest.
 *   <li>Anything else is an <b>OCI image reference</b>, pulled through podman. Its directory
 *       {@value #IMAGE_DIRECTORY} is read as a directory above: {@code /berth/kernel} (with {@code
 *       /berth/initrd}), or {@code /berth/disk.img}. See {@link ImageCache}.
 * </ul>
 *
 * A path that is absent, or a directory without {@code kernel} or {@code disk.img}, is
 * IMAGE_MISSING.
 */
sealed interface VmImage {

  /** A kernel booted directly, with an optional initial ramdisk. */
  record Kernel(Path kernel, Path initrd) implements VmImage {}

  /** A bootable disk; {@code format} is {@code raw} or {@code qcow2}. */
  record Disk(Path file, String format) implements VmImage {}

  String KERNEL_FILE = "kernel";
  String INITRD_FILE = "initrd";
  String DISK_FILE = "disk.img";

  /** Where an OCI image holds what a VM boots. */
  String IMAGE_DIRECTORY = "/berth";

  /** Whether {@code image} names a file on the node, rather than an OCI image. */
  static boolean isPath(String image) {
    return image != null && image.startsWith("/");
  }

  /** The first bytes of every qcow2 file: "QFI" and 0xfb. */
  byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

  /**
   * Reads what {@code image} names.
   *
   * @throws RuntimeFailure INVALID_SPEC if it is not an absolute path, IMAGE_MISSING if nothing
   *     bootable is there
   */
  static VmImage resolve(String image) {
    if (image == null || image.isBlank()) {
      throw new RuntimeFailure(Reason.INVALID_SPEC, "qemu: image is required", (String) null);
    }
    Path path;
    try {
      path = Path.of(image);
    } catch (InvalidPathException e) {
      throw new RuntimeFailure(Reason.INVALID_SPEC, "qemu: image is not a path: " + image, e);
    }
    // QEMU resolves relative paths against its own working directory, which -daemonize changes
    // to /: only an absolute path means the same thing to the agent and to QEMU.
    if (!path.isAbsolute()) {
      throw new RuntimeFailure(
          Reason.INVALID_SPEC, "qemu: image must be an absolute path: " + image, (String) null);
    }
    if (Files.isDirectory(path)) {
      return inDirectory(path, path.toString());
    }
    if (Files.isRegularFile(path)) {
      return new Disk(path, format(path));
    }
    throw missing("no kernel directory or disk image at " + path);
  }

  /**
   * What a directory holds: {@code kernel} (and {@code initrd}), else {@code disk.img}.
   *
   * @param what the directory in words, for the message when it holds neither
   * @throws RuntimeFailure IMAGE_MISSING if it holds neither
   */
  static VmImage inDirectory(Path directory, String what) {
    Path kernel = directory.resolve(KERNEL_FILE);
    if (Files.isRegularFile(kernel)) {
      Path initrd = directory.resolve(INITRD_FILE);
      return new Kernel(kernel, Files.isRegularFile(initrd) ? initrd : null);
    }
    Path disk = directory.resolve(DISK_FILE);
    if (Files.isRegularFile(disk)) {
      return new Disk(disk, format(disk));
    }
    throw missing(
        "nothing bootable in "
            + what
            + ": no file '"
            + KERNEL_FILE
            + "' (with an optional '"
            + INITRD_FILE
            + "') and no file '"
            + DISK_FILE
            + "'");
  }

  /**
   * The disk's format, from its first bytes. Telling QEMU the format, rather than letting it guess,
   * is what QEMU asks for; guessing ourselves is safe because the guest can never write the image
   * (snapshot=on), so it cannot forge a qcow2 header into a raw image.
   */
  private static String format(Path disk) {
    byte[] head = new byte[QCOW2_MAGIC.length];
    try (InputStream in = Files.newInputStream(disk)) {
      int read = in.readNBytes(head, 0, head.length);
      return read == head.length && Arrays.equals(head, QCOW2_MAGIC) ? "qcow2" : "raw";
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.IMAGE_MISSING, "qemu: cannot read " + disk, e);
    }
  }

  private static RuntimeFailure missing(String message) {
    return new RuntimeFailure(Reason.IMAGE_MISSING, "qemu: " + message, (String) null);
  }
}
