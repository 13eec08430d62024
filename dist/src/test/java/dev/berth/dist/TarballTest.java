package dev.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** berth-VERSION.tar.gz: the .deb's tree under one top directory, for machines without dpkg. */
class TarballTest {

  /** Each entry's path below the top directory, and its {@code ls -l} mode and owner. */
  static Map<String, String> entries;

  static String top;

  @BeforeAll
  static void list() throws Exception {
    Command listing =
        Command.run(List.of("tar", "--numeric-owner", "-tvzf", Packages.TARBALL.toString()));
    assertThat(listing.exitCode()).as(listing.output()).isZero();
    top = "berth-" + Packages.VERSION + "/";
    entries = new TreeMap<>();
    for (String line : listing.output().split("\n")) {
      String[] fields = line.trim().split("\\s+", 6);
      String name = fields[5];
      assertThat(name).as("every entry is under %s", top).startsWith(top);
      String path = name.substring(top.length()).replaceAll("/$", "");
      if (!path.isEmpty()) {
        entries.put(path, fields[0] + " " + fields[1]);
      }
    }
  }

  @Test
  void holdsTheLauncherTheJarTheUnitAndTheConfigurationWithTheirModes() {
    assertThat(entries)
        .containsEntry("usr/lib/berth/berth.jar", "-rw-r--r-- 0/0")
        .containsEntry("usr/lib/berth/berth", "-rwxr-xr-x 0/0")
        .containsEntry("usr/bin/berth", "-rwxr-xr-x 0/0")
        .containsEntry("etc/berth/berth.toml", "-rw-r----- 0/0")
        .containsEntry("usr/lib/systemd/system/berth.service", "-rw-r--r-- 0/0")
        .containsEntry("etc/berth/services", "drwxr-xr-x 0/0")
        .containsEntry("var/lib/berth", "drwx--x--x 0/0");
  }

  @Test
  void holdsNothingElseButTheManPages() {
    List<String> files =
        entries.entrySet().stream()
            .filter(entry -> !entry.getValue().startsWith("d"))
            .map(Map.Entry::getKey)
            .filter(path -> !path.startsWith(Packages.MAN_PAGES))
            .collect(Collectors.toList());
    assertThat(files).containsExactlyInAnyOrderElementsOf(Packages.FILES);
  }

  @Test
  void holdsAManPageForBerthAndForEachCommand() {
    assertThat(entries)
        .containsEntry(Packages.MAN_PAGES + "berth.1", "-rw-r--r-- 0/0")
        .containsEntry(Packages.MAN_PAGES + "berth-agent.1", "-rw-r--r-- 0/0")
        .containsEntry(Packages.MAN_PAGES + "berth-status.1", "-rw-r--r-- 0/0");
  }

  @Test
  void holdsTheSameFilesAsTheDeb() throws Exception {
    assumeTrue(Command.onPath("dpkg-deb").isPresent(), "dpkg-deb is not installed");
    Command contents = Command.run(List.of("dpkg-deb", "-c", Packages.DEB.toString()));
    assertThat(contents.exitCode()).as(contents.output()).isZero();
    Map<String, String> deb = new TreeMap<>();
    for (String line : contents.output().split("\n")) {
      String[] fields = line.trim().split("\\s+", 6);
      String path = fields[5].replaceFirst("^\\./", "").replaceAll("/$", "");
      if (!path.isEmpty()) {
        deb.put(path, fields[0]);
      }
    }
    Map<String, String> tarball = new TreeMap<>();
    entries.forEach((path, mode) -> tarball.put(path, mode.split(" ")[0]));
    assertThat(tarball).isEqualTo(deb);
  }
}
