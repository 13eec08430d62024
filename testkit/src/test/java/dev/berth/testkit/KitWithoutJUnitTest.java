package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kit does not make its users take a JUnit: JUnit is an optional dependency, and {@link
 * BerthTestKit} runs in a JVM whose class path has no JUnit at all ({@link KitWithoutJUnit}).
 */
class KitWithoutJUnitTest {

  @Test
  void theKitConvergesInAJvmWithoutJUnit() throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> withoutJUnit =
        Arrays.stream(classPath.split(File.pathSeparator))
            .filter(entry -> !entry.contains("junit") && !entry.contains("opentest4j"))
            .filter(entry -> !entry.contains("apiguardian") && !entry.contains("surefire"))
            .toList();
    assertThat(withoutJUnit).noneMatch(entry -> entry.contains("jupiter"));
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                String.join(File.pathSeparator, withoutJUnit),
                KitWithoutJUnit.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(java.exitValue()).as(output).isZero();
    assertThat(output.lines().collect(Collectors.toList())).contains("running: true");
  }
}
