package dev.berth.runtime.podman;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.nio.file.Path;
import java.util.List;

/**
 * Images in podman's store: fetching one as a pull policy says, naming the content it stands for,
 * and copying files out of it. What {@link PodmanRuntime} runs containers from, and where the QEMU
 * runtime gets VM images published as OCI images.
 */
public final class PodmanImages implements AutoCloseable {

  /** Marks the short-lived containers that {@link #copyOut} creates, should a crash leave one. */
  public static final String COPY_LABEL = "berth.copy-out";

  private final PodmanCli cli;
  private final boolean ownsCli;

  /** Images through podman as {@code config} says; {@link #close} ends what it started. */
  public PodmanImages(PodmanConfig config) {
    this(new PodmanCli(config), true);
  }

  PodmanImages(PodmanCli cli, boolean ownsCli) {
    this.cli = cli;
    this.ownsCli = ownsCli;
  }

  /**
   * Makes sure the image is in podman's store, pulling it as {@code policy} says.
   *
   * @throws RuntimeFailure IMAGE_MISSING if it is absent and may not (NEVER) or could not be
   *     pulled, UNAVAILABLE if podman cannot be started
   */
  public void ensure(String image, PullPolicy policy) {
    switch (policy) {
      case NEVER -> {
        if (!exists(image)) {
          throw new RuntimeFailure(
              Reason.IMAGE_MISSING,
              "image " + image + " is not on this node and the pull policy is NEVER",
              (String) null);
        }
      }
      case IF_ABSENT -> {
        if (!exists(image)) {
          pull(image);
        }
      }
      case ALWAYS -> pull(image);
    }
  }

  /** Whether podman's store holds the image. */
  public boolean exists(String image) {
    CommandResult result = cli.run(List.of("image", "exists", image));
    return switch (result.exitCode()) {
      case 0 -> true;
      case 1 -> false; // podman's documented "no such image"
      default -> throw PodmanFailures.of("podman image exists " + image, result);
    };
  }

  /**
   * The image's id in podman's store: the digest of its configuration ({@code sha256:} and 64 hex
   * digits), which names its content whatever tag or registry it came by.
   *
   * @throws RuntimeFailure IMAGE_MISSING if the store does not hold it
   */
  public String id(String image) {
    CommandResult result = cli.run(List.of("image", "inspect", "--format", "{{.Id}}", image));
    if (!result.succeeded()) {
      throw new RuntimeFailure(
          Reason.IMAGE_MISSING, "image " + image + " is not on this node", result.message());
    }
    String id = result.stdout().strip();
    return id.startsWith("sha256:") ? id : "sha256:" + id;
  }

  /**
   * Copies {@code source}, a file or directory inside the image, to {@code target}, which must not
   * exist yet. The copy goes through a container that is created (never started) for it and removed
   * at once, whatever happens: podman copies out of containers, not images, and a container, unlike
   * {@code podman image mount}, needs no root.
   *
   * @throws RuntimeFailure IMAGE_MISSING if {@code source} is not in the image (or the image is not
   *     in the store), FAILED if podman fails otherwise
   */
  public void copyOut(String image, String source, Path target) {
    // A command is required to create a container from an image that declares none (FROM scratch);
    // it is never run.
    // --pull=never: create would otherwise fetch an image missing from the store, behind the
    // pull policy's back.
    CommandResult created =
        cli.run(
            List.of(
                "create", "--pull=never", "--label", COPY_LABEL + "=" + source, image, "/none"));
    if (!created.succeeded()) {
      throw new RuntimeFailure(
          Reason.IMAGE_MISSING, "cannot read image " + image, created.message());
    }
    String container = created.lastLine();
    try {
      CommandResult copied = cli.run(List.of("cp", container + ":" + source, target.toString()));
      if (!copied.succeeded()) {
        throw new RuntimeFailure(
            copied.stderr().contains("no such file or directory")
                ? Reason.IMAGE_MISSING
                : Reason.FAILED,
            "image " + image + " has no " + source,
            copied.message());
      }
    } finally {
      CommandResult removed = cli.run(List.of("rm", "--force", container));
      if (!removed.succeeded()) {
        System.getLogger(PodmanImages.class.getName())
            .log(
                System.Logger.Level.WARNING,
                "podman: cannot remove copy container " + container + ": " + removed.message());
      }
    }
  }

  /** Every failed pull is IMAGE_MISSING: whatever went wrong, the image is not here. */
  private void pull(String image) {
    CommandResult result = cli.run(List.of("pull", "--quiet", image), cli.config().pullTimeout());
    if (!result.succeeded()) {
      throw new RuntimeFailure(
          Reason.IMAGE_MISSING, "podman pull " + image + " failed", result.message());
    }
  }

  @Override
  public void close() {
    if (ownsCli) {
      cli.close();
    }
  }
}
