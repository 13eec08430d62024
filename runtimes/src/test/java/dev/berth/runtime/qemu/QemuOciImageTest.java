package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.podman.PodmanImages;
import dev.berth.runtime.podman.PodmanTestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VM images published as OCI images, built here with real podman: pulled (or not) as the policy
 * says and copied out into the cache. Booting one is {@code QemuNodeTest}'s (reconcilers): a boot
 * under TCG costs seconds, so it is done once, through the node's loops.
 */
class QemuOciImageTest {

  @TempDir Path temporary;

  private Path stateRoot;
  private PodmanTestEnvironment podman;
  private VmOciImages images;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void prepare() throws IOException {
    stateRoot = temporary.resolve("state"); // first: cleanUp runs even when the test is skipped
    podman = PodmanTestEnvironment.start();
    images = new VmOciImages(podman.host(), temporary);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable each : opened) {
      each.close();
    }
    QemuTestEnvironment.killLeftovers(stateRoot);
    try {
      if (images != null) {
        images.close();
      }
      assertThat(copyContainers()).as("containers left by copying images out").isEmpty();
    } finally {
      if (podman != null) {
        podman.close();
      }
    }
  }

  @Test
  void concurrentBootsOfOneImageCopyItOutWholeOnce() throws Exception {
    Path kernel = Files.writeString(temporary.resolve("kernel"), "not really a kernel");
    String reference = images.build("tiny", Map.of(VmImage.KERNEL_FILE, kernel));
    Path cache = temporary.resolve("cache");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try (PodmanImages podmanImages = new PodmanImages(podman.config())) {
      ImageCache imageCache = new ImageCache(podmanImages, cache);
      List<Callable<VmImage>> boots = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        boots.add(() -> imageCache.resolve(reference));
      }
      List<VmImage> resolved = new ArrayList<>();
      for (Future<VmImage> boot : threads.invokeAll(boots)) {
        resolved.add(boot.get());
      }

      String id = podmanImages.id(reference);
      Path entry = cache.resolve(id.substring("sha256:".length()));
      assertThat(resolved).containsOnly(new VmImage.Kernel(entry.resolve("kernel"), null));
      assertThat(entry.resolve("kernel")).hasContent("not really a kernel");
      assertThat(entries(cache)).containsExactly(entry); // no partial copy left behind
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anImageWithoutBootableContentOrThatCannotBeHadIsImageMissingWithTheReason()
      throws IOException {
    Path readme = Files.writeString(temporary.resolve("readme"), "no kernel here");
    String empty = images.build("empty", Map.of("readme", readme));
    QemuRuntime runtime = open();

    assertThatThrownBy(() -> runtime.ensureImage(empty, PullPolicy.IF_ABSENT))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING);
              assertThat(e.getMessage())
                  .contains("nothing bootable in image " + empty + " (/berth)")
                  .contains("'kernel'", "'disk.img'");
            });
    assertThat(entries(stateRoot.resolve(QemuRuntime.IMAGE_CACHE))).isEmpty();

    assertThatThrownBy(() -> runtime.ensureImage(podman.image(), PullPolicy.NEVER))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING);
              assertThat(e.getMessage()).contains("image " + podman.image() + " has no /berth");
            });

    String absent = "localhost:1/berth-test-absent:1"; // nothing listens on port 1
    assertThatThrownBy(() -> runtime.ensureImage(absent, PullPolicy.NEVER))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING);
              assertThat(e.getMessage()).contains("the pull policy is NEVER");
            });
    assertThatThrownBy(() -> runtime.ensureImage(absent, PullPolicy.IF_ABSENT))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING);
              assertThat(e.getMessage()).contains("podman pull " + absent + " failed");
            });
  }

  private QemuRuntime open() {
    QemuRuntime runtime =
        new QemuRuntime(QemuConfig.builder(stateRoot).podman(podman.config()).build());
    opened.add(runtime);
    return runtime;
  }

  private List<String> copyContainers() throws IOException {
    return podman
        .host()
        .run("ps", "--all", "--quiet", "--filter", "label=" + PodmanImages.COPY_LABEL)
        .lines()
        .filter(line -> !line.isBlank())
        .toList();
  }

  private static List<Path> entries(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(directory)) {
      return list.toList();
    }
  }
}
