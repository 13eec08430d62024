package dev.berth.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The packages this module's build wrote, and the layout both hold. */
final class Packages {

  private Packages() {}

  static final String VERSION = System.getProperty("berth.version");
  static final Path TARBALL = built("berth.tarball");
  static final Path DEB = built("berth.deb");

  /** The files every package installs (completion and man pages come on top, where built). */
  static final Set<String> FILES =
      Set.of(
          "usr/lib/berth/berth.jar",
          "usr/lib/berth/berth",
          "usr/bin/berth",
          "etc/berth/berth.toml",
          "usr/lib/systemd/system/berth.service");

  /** The directories they own beside those files' own. */
  static final Set<String> DIRECTORIES = Set.of("etc/berth/services", "var/lib/berth");

  /** Paths under these are the ones runner's build generates, in the packages when present. */
  static final List<String> GENERATED =
      List.of("usr/share/bash-completion/completions/", "usr/share/man/man1/");

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
