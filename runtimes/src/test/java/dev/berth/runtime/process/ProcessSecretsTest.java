package dev.berth.runtime.process;

import static dev.berth.runtime.process.Harness.PATIENCE;
import static dev.berth.runtime.process.Harness.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process gets its secrets in its environment, at every start, and nowhere else: not on a command
 * line of the process table, not in its state file, not in any file of its directory that is not
 * the agent's alone. The program proves it saw a value by printing the value's SHA-256, never the
 * value.
 */
class ProcessSecretsTest {

  @TempDir Path temporary;

  /** Unique per run: found anywhere, it can only have come from this test. */
  private final String value = "s3cret-" + System.nanoTime();

  private Harness harness;
  private ProcessRuntime runtime;

  @BeforeEach
  void open() {
    harness = new Harness(temporary);
    runtime = harness.open();
  }

  @AfterEach
  void cleanUp() {
    harness.close();
  }

  @Test
  void theProgramSeesTheSecretInItsEnvironment() {
    Workload workload = runtime.run(printingTheSecretsDigest());

    await().atMost(PATIENCE).until(() -> log(workload).contains("seen " + sha256(value)));
  }

  @Test
  void noCommandLineOnTheNodeCarriesTheSecret() throws IOException {
    Workload workload = runtime.run(printingTheSecretsDigest());
    await().atMost(PATIENCE).until(() -> log(workload).contains("seen "));

    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      List<Path> carrying =
          processes
              .filter(p -> p.getFileName().toString().matches("\\d+"))
              .filter(p -> contains(p.resolve("cmdline")))
              .toList();
      assertThat(carrying).as("processes whose command line holds the secret").isEmpty();
    }
  }

  @Test
  void onlyAFileOfTheAgentsAloneInTheWorkloadsDirectoryHoldsTheSecret() throws IOException {
    Workload workload = runtime.run(printingTheSecretsDigest());
    await().atMost(PATIENCE).until(() -> log(workload).contains("seen "));
    Path directory = harness.directoryOf(workload.id());

    List<Path> holding;
    try (Stream<Path> files = Files.walk(directory)) {
      holding = files.filter(Files::isRegularFile).filter(this::containsValue).toList();
    }

    assertThat(holding).containsExactly(directory.resolve(WorkloadDirectory.SECRETS_FILE));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(holding.get(0))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
    assertThat(harness.recordOf(workload.id()).env()).doesNotContainValue(value);
  }

  @Test
  void aStartAfterAStopGivesTheSecretAgain() {
    Workload workload = runtime.run(printingTheSecretsDigest());
    await().atMost(PATIENCE).until(() -> log(workload).contains("seen "));

    runtime.stop(workload.id(), Duration.ofSeconds(5));
    runtime.start(workload.id());

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(log(workload).lines().filter(l -> l.equals("seen " + sha256(value))))
                    .hasSize(2));
  }

  @Test
  void aSpecPrintsItsSecretsWithoutTheirValues() {
    WorkloadSpec spec = printingTheSecretsDigest();

    assertThat(spec.toString()).contains("DB_PASSWORD").doesNotContain(value);
  }

  private WorkloadSpec printingTheSecretsDigest() {
    return shell(
            "printf 'seen %s\\n' \"$(printf %s \"$DB_PASSWORD\" | sha256sum | cut -d' ' -f1)\";"
                + " exec sleep 60")
        .secret(new SecretVariable("DB_PASSWORD", "test-file", "sha256:" + sha256(value), value))
        .build();
  }

  private String log(Workload workload) {
    try (Stream<String> lines = runtime.logs(workload.id(), -1, false)) {
      return String.join("\n", lines.toList());
    }
  }

  private boolean contains(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(value);
    } catch (IOException e) {
      return false; // a process gone meanwhile, or not ours to read
    }
  }

  private boolean containsValue(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1).contains(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
