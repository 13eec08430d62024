package dev.berth.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The packages this module's build wrote, and the layout both hold. */
final class Packages {

  private Packages() {}

  static final String VERSION = System.getProperty("berth.version");
  static final Path TARBALL = built("berth.tarball");
  static final Path DEB = built("berth.deb");

  /**
   * runner's berth-operator.jar: the cluster mode, which the packages leave out (they install the
   * node's berth.jar).
   */
  static final Path OPERATOR_JAR = built("berth.operator.jar");

  /** The files every package installs (and a man page per command). */
  static final Set<String> FILES =
      Set.of(
          "usr/lib/berth/berth.jar",
          "usr/lib/berth/berth",
          "usr/bin/berth",
          "etc/berth/berth.toml",
          "usr/lib/systemd/system/berth.service",
          "usr/share/bash-completion/completions/berth");

  /** The directories they own beside those files' own. */
  static final Set<String> DIRECTORIES = Set.of("etc/berth/services", "var/lib/berth");

  /** The man pages: one for berth and one for each of its commands (runner's ManPages). */
  static final String MAN_PAGES = "usr/share/man/man1/";

  private static Path built(String property) {
    String path = System.getProperty(property);
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          property
              + " ("
              + path
              + ") is missing: these tests run in the integration-test phase, after package"
              + " (./mvnw -B verify)");
    }
    return Path.of(path);
  }
}
