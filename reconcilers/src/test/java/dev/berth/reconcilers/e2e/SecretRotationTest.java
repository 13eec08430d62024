package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through the node's loops with real processes: a process gets the file's content, a
 * rewritten file replaces its workload (noticed by the directory's watch, well before the resync),
 * a file others may read is refused in status naming its mode, and the value is nowhere in status,
 * events or the registry. The program proves what it saw by printing the value's SHA-256.
 */
class SecretRotationTest {

  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path root;
  Path secrets;
  Registry registry;
  ProcessRuntime runtime;
  BerthNode node;

  @BeforeEach
  void start() throws IOException {
    secrets =
        Files.createDirectory(
            root.resolve("secrets"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    runtime = new ProcessRuntime(ProcessRuntimeConfig.of(root.resolve("processes")));
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofSeconds(1))
            // Long: a rotation noticed within the test's wait was noticed by the watch.
            .resyncPeriod(Duration.ofMinutes(10))
            .statusFlushInterval(Duration.ofMillis(20))
            .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .secrets(SecretFiles.in(secrets))
            .build();
    node.start();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop(Duration.ofSeconds(10));
    }
    if (runtime != null) {
      for (Workload workload : runtime.list()) {
        runtime.remove(workload.id());
      }
      runtime.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aRewrittenSecretFileReplacesTheWorkloadWithOneThatSeesTheNewValue() throws Exception {
    String value = "first-" + System.nanoTime();
    writeSecret("db-password", value + "\n", "rw-------");
    apply();
    Workload first = awaitRunningSeeing(value);

    String second = "second-" + System.nanoTime();
    writeSecret("db-password", second + "\n", "rw-------");

    Workload replacement = awaitRunningSeeing(second);
    assertThat(replacement.id()).isNotEqualTo(first.id());
    assertThat(replacement.specHash()).isNotEqualTo(first.specHash());
    assertThat(runtime.inspect(first.id())).isEmpty();
  }

  @Test
  void statusEventsAndTheRegistryNeverHoldTheValue() throws Exception {
    String value = "never-shown-" + System.nanoTime();
    writeSecret("db-password", value + "\n", "rw-------");
    apply();
    awaitRunningSeeing(value);
    String rotated = "never-shown-either-" + System.nanoTime();
    writeSecret("db-password", rotated + "\n", "rw-------");
    awaitRunningSeeing(rotated);

    String shown =
        registry.status().of("shop")
            + " "
            + registry.status().conditions("shop")
            + " "
            + registry.events().of("shop")
            + " "
            + node.describe("shop", 100);
    assertThat(shown).contains("DB_PASSWORD").doesNotContain(value).doesNotContain(rotated);
    node.stop(Duration.ofSeconds(10));
    node = null;
    registry.close();
    registry = null;
    try (Stream<Path> files = Files.walk(root.resolve("data"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content).as(file.toString()).doesNotContain(value).doesNotContain(rotated);
      }
    }
  }

  @Test
  void aSecretFileOthersMayReadIsRefusedInStatusAndUsedOnceItsModeIsFixed() throws Exception {
    String value = "readable-" + System.nanoTime();
    Path file = writeSecret("db-password", value + "\n", "rw-r--r--");
    apply();

    ComponentStatus refused =
        await()
            .atMost(WAIT)
            .until(
                () -> registry.status().of("shop").stream().findFirst().orElse(null),
                status -> status != null && status.state().equals("SecretUnusable"));
    assertThat(refused.message())
        .contains("secret file " + file + " has mode 0644: it must be 0600 or stricter")
        .doesNotContain(value);
    assertThat(runtime.list()).isEmpty();
    assertThat(registry.events().of("shop").toString()).doesNotContain(value);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    awaitRunningSeeing(value);
  }

  @Test
  void aMissingSecretFileIsRefusedInStatusNamingIt() {
    apply();

    ComponentStatus refused =
        await()
            .atMost(WAIT)
            .until(
                () -> registry.status().of("shop").stream().findFirst().orElse(null),
                status -> status != null && status.state().equals("SecretUnusable"));
    assertThat(refused.message())
        .contains("secret file " + secrets.resolve("db-password") + " does not exist");
  }

  // --- helpers ---

  /** Writes a file of the secrets directory as an operator would: beside, then renamed over. */
  private Path writeSecret(String name, String content, String mode) throws IOException {
    Path staged =
        Files.createTempFile(
            root,
            name,
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    Files.writeString(staged, content);
    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString(mode));
    return Files.move(staged, secrets.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private void apply() {
    ComponentSpec app =
        ComponentSpec.builder("app", RuntimeKind.PROCESS)
            .executable("/bin/sh")
            .cmd(
                "-c",
                "printf 'seen %s\\n' \"$(printf %s \"$DB_PASSWORD\" | sha256sum | cut -d' ' -f1)\";"
                    + " exec sleep 60")
            .secret("DB_PASSWORD", "db-password")
            .build();
    registry.services().apply(ApplyRequest.of("test", List.of(ServiceSpec.of("shop", app))));
  }

  /** The service's running workload once its program has printed the digest of {@code value}. */
  private Workload awaitRunningSeeing(String value) {
    String seen = "seen " + sha256(value);
    return await()
        .atMost(WAIT)
        .until(
            () ->
                runtime.list().stream()
                    .filter(w -> "shop".equals(w.service()) && w.running())
                    .filter(w -> log(w).contains(seen))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private String log(Workload workload) {
    try (Stream<String> lines = runtime.logs(workload.id(), -1, false)) {
      return String.join("\n", lines.toList());
    } catch (RuntimeException e) {
      return ""; // removed meanwhile
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
