package dev.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb, installed by dpkg into a scratch root (never this machine's): its maintainer scripts
 * run too ({@code --force-script-chrootless}, with {@code DPKG_ROOT} set, which they honour).
 */
class DebPackageTest {

  static Path root;

  @BeforeAll
  static void install() throws Exception {
    assumeTrue(
        Command.onPath("dpkg").isPresent() && Command.onPath("dpkg-deb").isPresent(),
        "dpkg is not installed: the .deb cannot be installed here");
    // dpkg installs as root only (files owned by root), even into a scratch root; CI runs as root.
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "not root: dpkg refuses to install, even into a scratch root");
    root = Files.createTempDirectory("berth-deb-root");
    Command installed = dpkg(root, "--install", Packages.DEB.toString());
    assertThat(installed.exitCode()).as(installed.output()).isZero();
  }

  @AfterAll
  static void purge() throws Exception {
    if (root != null) {
      dpkg(root, "--purge", "berth");
      deleteTree(root);
    }
  }

  @Test
  void installsTheDocumentedLayoutWithItsModes() throws IOException {
    assertThat(mode("usr/lib/berth/berth.jar")).isEqualTo("rw-r--r--");
    assertThat(mode("usr/lib/berth/berth")).isEqualTo("rwxr-xr-x");
    assertThat(mode("usr/bin/berth")).isEqualTo("rwxr-xr-x");
    assertThat(mode("etc/berth/berth.toml")).isEqualTo("rw-r-----");
    assertThat(mode("usr/lib/systemd/system/berth.service")).isEqualTo("rw-r--r--");
    assertThat(mode("etc/berth/services")).isEqualTo("rwxr-xr-x");
    // A root agent refuses a data_dir others can list; nginx's workers still reach it by name.
    assertThat(mode("var/lib/berth")).isEqualTo("rwx--x--x");
  }

  @Test
  void theConfigurationIsAConffileThatAnUpgradeKeeps() throws IOException {
    assertThat(Files.readAllLines(root.resolve("var/lib/dpkg/info/berth.conffiles")))
        .containsExactly("/etc/berth/berth.toml");
  }

  @Test
  void dependsOnAJavaRuntimeOf17OrNewer() throws Exception {
    Command depends =
        Command.run(List.of("dpkg-deb", "--field", Packages.DEB.toString(), "Depends"));
    assertThat(depends.output().trim())
        .isEqualTo("default-jre-headless (>= 2:1.17) | java17-runtime-headless");
  }

  @Test
  void berthVersionRunsFromTheInstalledCommand() throws Exception {
    Map<String, String> environment = new HashMap<>();
    // Only what the installed command sets: nothing of a developer's environment.
    for (String name :
        List.of("BERTH_JAR", "BERTH_JAVA_OPTS", "BERTH_CDS_ARCHIVE", "BERTH_SOCKET")) {
      environment.put(name, null);
    }
    // No class-data archive: its training run takes 20 s (purgingRemovesEveryFileItInstalled
    // covers what it leaves).
    environment.put("BERTH_CLI_ARCHIVE_DIR", "none");
    Command version =
        Command.run(List.of(root.resolve("usr/bin/berth").toString(), "version"), environment);
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).startsWith("berth " + Packages.VERSION + "\n");
  }

  @Test
  void systemdAnalyzeVerifiesTheInstalledUnitWithoutAWord() throws Exception {
    assumeTrue(Command.onPath("systemd-analyze").isPresent(), "systemd-analyze is not installed");
    Path systemUnits = Path.of("/usr/lib/systemd/system");
    assumeTrue(Files.isDirectory(systemUnits), "no systemd units to verify against");
    // verify --root resolves the unit's dependencies (sysinit.target, ...) and its ExecStart in
    // the scratch root: this machine's own units go there, in the other directory systemd reads.
    Path copied = root.resolve("lib/systemd/system");
    copyTree(systemUnits, copied);
    try {
      Command verify =
          Command.run(
              List.of(
                  "systemd-analyze",
                  "verify",
                  "--root=" + root,
                  "/usr/lib/systemd/system/berth.service"));
      // Unknown keys and bad values are only warnings: the output must be empty too.
      assertThat(verify.output()).isEmpty();
      assertThat(verify.exitCode()).isZero();
    } finally {
      deleteTree(root.resolve("lib"));
    }
  }

  @Test
  void purgingRemovesEveryFileItInstalled(@TempDir Path scratch) throws Exception {
    Command installed = dpkg(scratch, "--install", Packages.DEB.toString());
    assertThat(installed.exitCode()).as(installed.output()).isZero();
    // What bin/berth leaves beside the jar when root runs a client command (the archive, a failed
    // training's mark, a training's lock), named as it names them; training one takes 20 s.
    Path lib = scratch.resolve("usr/lib/berth");
    Files.createFile(lib.resolve("berth-cli-17.0.15-1234567.jsa"));
    Files.createFile(lib.resolve("berth-cli-17.0.15-7654321.jsa.failed"));
    Files.createDirectory(lib.resolve("berth-cli-17.0.15-7654321.jsa.lock"));
    Command purged = dpkg(scratch, "--purge", "berth");
    assertThat(purged.exitCode()).as(purged.output()).isZero();
    try (Stream<Path> left = Files.walk(scratch)) {
      assertThat(
              left.map(path -> scratch.relativize(path).toString())
                  .filter(path -> !path.isEmpty() && !path.startsWith("var/lib/dpkg"))
                  .filter(path -> !path.startsWith("var/log")))
          .containsExactlyInAnyOrder("var", "var/lib");
    }
  }

  private static String mode(String path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(path)));
  }

  /** dpkg on {@code scratch}, which gets an empty package database first if it has none. */
  static Command dpkg(Path scratch, String... arguments) throws Exception {
    Path admin = scratch.resolve("var/lib/dpkg");
    if (!Files.isDirectory(admin)) {
      for (String directory : List.of("info", "updates", "triggers")) {
        Files.createDirectories(admin.resolve(directory));
      }
      Files.createDirectories(scratch.resolve("var/log"));
      Files.createFile(admin.resolve("status"));
      Files.createFile(admin.resolve("available"));
    }
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "dpkg",
            "--root=" + scratch,
            // The scripts run here, not chrooted (the scratch root has no shell); they see
            // DPKG_ROOT and leave this machine's systemd alone.
            "--force-script-chrootless",
            // No Java in the scratch root's (empty) package database.
            "--force-depends"));
    command.addAll(List.of(arguments));
    return Command.run(command);
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isSymbolicLink(path)) {
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  static void deleteTree(Path tree) throws IOException {
    if (!Files.exists(tree)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    }
  }
}
