package dev.berth.runtime.podman;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real podman for the tests: its {@code containers.conf}, a busybox image built on the spot (no
 * registry is reachable) and a label that marks everything a test run creates.
 *
 * <p>The image gets a tag of its own per test run and is removed at the end, as is every container
 * labelled {@link #LABEL}{@code =}{@link #runId()}; runs side by side do not touch each other's.
 *
 * <p>Where podman cannot run at all the tests are skipped, saying why; but with {@code CI=true}
 * they fail instead, because CI installs podman and a skip there would hide a broken setup.
 */
public final class PodmanTestEnvironment implements AutoCloseable {

  /** The label on every container the tests create, valued with the run's id. */
  public static final String LABEL = "berth.test";

  /** The page the image serves from {@code /www}. */
  public static final String PAGE = "<h1>berth podman test</h1>\n";

  /**
   * The sandbox's limits (see ENVIRONMENT.md): crun cannot set RLIMIT_NOFILE here and refuses the
   * hybrid cgroup layout; runc with these ulimits works.
   */
  private static final String CONTAINERS_CONF =
      """
      [containers]
      default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
      [engine]
      runtime = "runc"
      """;

  private static final List<Path> BUSYBOX =
      List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

  /** Applets the tests run; each a relative link to /bin/busybox inside the image. */
  private static final List<String> APPLETS =
      List.of("sh", "httpd", "sleep", "echo", "cat", "id", "true");

  private final Path directory;
  private final String runId;
  private final String image;
  private final HostPodman host;

  private PodmanTestEnvironment(Path directory, String runId, String image, HostPodman host) {
    this.directory = directory;
    this.runId = runId;
    this.image = image;
    this.host = host;
  }

  /** Checks that podman runs, writes its configuration and builds the image. */
  public static PodmanTestEnvironment start() throws IOException {
    Path directory = Files.createTempDirectory("berth-podman-test");
    try {
      Path conf = directory.resolve("containers.conf");
      Files.writeString(conf, CONTAINERS_CONF);
      HostPodman host = new HostPodman(conf);
      requirePodman(host);
      Optional<Path> busybox = BUSYBOX.stream().filter(Files::isExecutable).findFirst();
      if (busybox.isEmpty()) {
        cannotRun(
            "no busybox binary to build the test image from (apt-get install busybox-static)");
      }
      String runId = UUID.randomUUID().toString().substring(0, 8);
      String image = "localhost/berth-test-busybox:" + runId;
      buildImage(host, directory, busybox.get(), image);
      return new PodmanTestEnvironment(directory, runId, image, host);
    } catch (IOException | RuntimeException | Error e) {
      deleteRecursively(directory);
      throw e;
    }
  }

  private static void requirePodman(HostPodman host) {
    HostPodman.Outcome info;
    try {
      info = host.tryRun("info", "--format", "{{.Host.OCIRuntime.Name}}");
    } catch (IOException e) {
      cannotRun("podman is not installed: " + e.getMessage());
      return;
    }
    if (!info.succeeded()) {
      cannotRun("podman info fails: " + info.stderr().strip());
    }
  }

  /**
   * Skips the tests, saying why; under CI fails them instead: CI installs podman, and a skip there
   * would hide a broken setup.
   */
  private static void cannotRun(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail("podman tests cannot run, and CI=true forbids a skip: " + why);
    }
    Assumptions.abort("podman tests skipped: " + why);
  }

  /**
   * {@code /bin/busybox} (static, so nothing else is needed), relative links for its applets, and
   * {@code /www/index.html}; tarred and imported.
   */
  private static void buildImage(HostPodman host, Path directory, Path busybox, String image)
      throws IOException {
    Path rootfs = directory.resolve("rootfs");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Files.writeString(Files.createDirectories(rootfs.resolve("www")).resolve("index.html"), PAGE);
    Files.createDirectories(rootfs.resolve("tmp"));
    Path tar = directory.resolve("rootfs.tar");
    Process process =
        new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IOException("tar failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    host.run("import", "--quiet", tar.toString(), image);
  }

  /** The configuration the runtime under test gets. */
  public PodmanConfig config() {
    return PodmanConfig.defaults().withContainersConf(directory.resolve("containers.conf"));
  }

  public String image() {
    return image;
  }

  public String runId() {
    return runId;
  }

  public HostPodman host() {
    return host;
  }

  /** Removes every container this run created. */
  void removeContainers() throws IOException {
    host.removeContainersLabelled(LABEL, runId);
  }

  @Override
  public void close() throws IOException {
    try {
      removeContainers();
      host.tryRun("rmi", "--force", image);
    } finally {
      deleteRecursively(directory);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
