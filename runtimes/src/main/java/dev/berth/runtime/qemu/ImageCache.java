package dev.berth.runtime.qemu;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.local.StateDirectory;
import dev.berth.runtime.podman.PodmanImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * VM images published as OCI images (see {@link VmImage#IMAGE_DIRECTORY}): pulled through podman,
 * their bootable content copied out once into a directory per image id under {@code root}, and
 * booted from there.
 *
 * <p>An entry is written under a temporary name and renamed into place, so a directory named by an
 * id is always whole: two VMs booting the same image at once both copy, one rename wins, and the
 * other uses the winner's copy. An entry is only read, never changed, so a VM booted from it shares
 * it with every other VM of that image (QEMU opens a disk with snapshot=on, a kernel read-only).
 *
 * <p>The cache is a copy and nothing more: lost, the next boot copies the image out of podman's
 * store again. Entries of images no longer used stay until an operator deletes them.
 */
final class ImageCache {

  /** Where copies are written before they are renamed; never read as an entry. */
  private static final String PARTIAL_PREFIX = ".partial-";

  private final PodmanImages images;
  private final Path root;

  ImageCache(PodmanImages images, Path root) {
    this.images = images;
    this.root = root;
  }

  /**
   * Deletes the copies that a crash cut short. Call it only while nothing copies into the cache
   * (when the runtime opens its state root), or it would delete a copy being made.
   */
  void deletePartials() {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> entries = Files.list(root)) {
      for (Path partial :
          entries.filter(p -> p.getFileName().toString().startsWith(PARTIAL_PREFIX)).toList()) {
        StateDirectory.delete(partial, null);
      }
    } catch (IOException | UncheckedIOException e) {
      System.getLogger(ImageCache.class.getName())
          .log(System.Logger.Level.WARNING, "qemu: cannot clean up " + root, e);
    }
  }

  /**
   * Pulls {@code reference} as {@code policy} says, then copies its content out (if not yet).
   *
   * @throws RuntimeFailure IMAGE_MISSING if it cannot be had or holds nothing bootable
   */
  VmImage ensure(String reference, PullPolicy policy) {
    images.ensure(reference, policy);
    return resolve(reference);
  }

  /**
   * What {@code reference} boots, as the image podman's store holds now: copied out of the store if
   * the cache does not have it. Never pulls: a start after the cache was lost needs the store only.
   *
   * @throws RuntimeFailure IMAGE_MISSING if the store lacks the image or it holds nothing bootable
   */
  VmImage resolve(String reference) {
    String id = images.id(reference);
    Path entry = root.resolve(id.substring(id.indexOf(':') + 1));
    if (!Files.isDirectory(entry)) {
      copyOut(reference, entry);
    }
    return VmImage.inDirectory(entry, described(reference));
  }

  /** How messages name what {@code reference} boots. */
  private static String described(String reference) {
    return "image " + reference + " (" + VmImage.IMAGE_DIRECTORY + ")";
  }

  private void copyOut(String reference, Path entry) {
    Path partial;
    try {
      Files.createDirectories(root);
      partial = Files.createTempDirectory(root, PARTIAL_PREFIX);
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.FAILED, "qemu: cannot create the image cache " + root, e);
    }
    try {
      Path content = partial.resolve("content");
      images.copyOut(reference, VmImage.IMAGE_DIRECTORY, content);
      // Checked before it is renamed into place: an entry is only ever bootable content.
      VmImage.inDirectory(content, described(reference));
      try {
        Files.move(content, entry, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // rename(2) onto a directory that is there fails (ENOTEMPTY, which the JDK reports as a
        // plain FileSystemException): another boot of the same image renamed its copy first, and it
        // is the same content.
        if (!Files.isDirectory(entry)) {
          throw e;
        }
      }
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.FAILED, "qemu: cannot cache image " + reference, e);
    } finally {
      try {
        StateDirectory.delete(partial, null);
      } catch (UncheckedIOException e) {
        System.getLogger(ImageCache.class.getName())
            .log(System.Logger.Level.WARNING, "qemu: cannot delete " + partial, e);
      }
    }
  }
}
