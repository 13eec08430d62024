package dev.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages' jar is the node's: runner/pom.xml builds it without the cluster mode (fabric8,
 * java-operator-sdk, the kubernetes module), which berth-operator.jar holds, and its {@code
 * operator} and {@code kube export} commands say so in one line, while their help still works.
 */
class NodeJarTest {

  static final Path JAR = Path.of(System.getProperty("berth.tree"), "usr/lib/berth/berth.jar");

  /** Where the cluster mode's classes live, in berth-operator.jar. */
  static final List<String> CLUSTER_MODE =
      List.of("io/fabric8/", "io/javaoperatorsdk/", "dev/berth/kubernetes/");

  @Test
  void holdsNoClassOfTheClusterModeWhichTheOperatorsJarHolds() throws IOException {
    for (String prefix : CLUSTER_MODE) {
      assertThat(entries(JAR)).as("berth.jar").noneMatch(name -> name.startsWith(prefix));
      assertThat(entries(Packages.OPERATOR_JAR))
          .as("berth-operator.jar")
          .anyMatch(name -> name.startsWith(prefix));
    }
  }

  @Test
  void itsOperatorAndKubeExportSayInOneLineWhichJarRunsThem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("web.toml");
    Files.writeString(file, "name = \"web\"\n[[components]]\nname = \"app\"\nimage = \"a:1\"\n");

    Command operator = Command.run(List.of(Command.java(), "-jar", JAR.toString(), "operator"));
    Command export =
        Command.run(
            List.of(
                Command.java(), "-jar", JAR.toString(), "kube", "export", "-f", file.toString()));

    assertThat(operator.exitCode()).as(operator.output()).isEqualTo(1);
    assertThat(operator.output())
        .isEqualTo(
            "error: berth operator runs from berth-operator.jar (the cluster mode); this berth.jar"
                + " is the node's build, without it\n");
    assertThat(export.exitCode()).as(export.output()).isEqualTo(1);
    assertThat(export.output())
        .isEqualTo(
            "error: berth kube export runs from berth-operator.jar (the cluster mode); this"
                + " berth.jar is the node's build, without it\n");
  }

  @Test
  void theirHelpStillWorks() throws Exception {
    Command operator =
        Command.run(List.of(Command.java(), "-jar", JAR.toString(), "operator", "--help"));
    Command export =
        Command.run(List.of(Command.java(), "-jar", JAR.toString(), "kube", "export", "--help"));

    assertThat(operator.exitCode()).as(operator.output()).isZero();
    assertThat(operator.output()).contains("--kubeconfig").contains("berth-operator.jar");
    assertThat(export.exitCode()).as(export.output()).isZero();
    assertThat(export.output()).contains("--file").contains("berth-operator.jar");
  }

  private static List<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(ZipEntry::getName).toList();
    }
  }
}
