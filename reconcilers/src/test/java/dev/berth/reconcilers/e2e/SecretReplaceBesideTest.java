package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.reconcilers.testing.TlsClient;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ServiceEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated secret rolls a routed component the way a new spec does: replaced beside the old one,
 * behind the real nginx, while a client sends requests through it. The page a workload serves is a
 * digest of the value it was given, never the value.
 */
class SecretReplaceBesideTest {

  static final String SERVICE = "vault";
  static final String HOSTNAME = "vault.berth.internal";

  @TempDir Path root;
  Path secrets;
  EdgeNode edgeNode;
  TlsClient client;
  final AtomicBoolean sending = new AtomicBoolean(true);
  final AtomicInteger sent = new AtomicInteger();
  final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  Thread load;

  @BeforeEach
  void start() throws Exception {
    secrets =
        Files.createDirectory(
            root.resolve("secrets"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    edgeNode =
        EdgeNode.start(
            root,
            builder ->
                builder.secrets(SecretFiles.in(secrets)).resyncPeriod(Duration.ofMinutes(10)));
    client = edgeNode.edge.client();
  }

  @AfterEach
  void stop() throws Exception {
    sending.set(false);
    if (load != null) {
      load.join(5_000);
    }
    if (edgeNode != null) {
      edgeNode.close();
    }
  }

  @Test
  void aRotatedSecretIsRolledOutBesideTheOldWorkloadLosingNoRequest() throws Exception {
    String first = "first-" + System.nanoTime();
    writeSecret(first);
    edgeNode.registry.services().apply(ApplyRequest.of("test", List.of(site())));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fetch().contains(digest(first)));
    sendAllAlong();

    String second = "second-" + System.nanoTime();
    writeSecret(second);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                fetch().contains(digest(second))
                    && edgeNode.runtime.list().size() == 1
                    // The event follows the old workload's removal, and reaches the registry
                    // with the status writer's next flush.
                    && reasons().contains("Replaced"));
    sending.set(false);
    load.join(5_000);
    assertThat(failures).isEmpty();
    assertThat(sent.get()).isGreaterThan(5);
    assertThat(reasons()).contains("StartedBeside", "Replaced");
    assertThat(edgeNode.registry.events().of(SERVICE).toString())
        .doesNotContain(first)
        .doesNotContain(second);
  }

  /** A routed process serving, as its page, the first 16 hex digits of its TOKEN's SHA-256. */
  ServiceSpec site() throws Exception {
    ServiceSpec site = edgeNode.edge.website(SERVICE, HOSTNAME, "unused");
    ComponentSpec web =
        site.components().get(0).toBuilder()
            .cmd(
                "-c",
                "printf %s \"$TOKEN\" | sha256sum | cut -c1-16 > index.html;"
                    + " exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h .")
            .secret("TOKEN", "token")
            .update(new UpdatePolicy(null, Duration.ofSeconds(10), Duration.ofMillis(300), false))
            .build();
    return site.withComponents(List.of(web));
  }

  void writeSecret(String value) throws Exception {
    Path staged = Files.createTempFile(root, "token", ".tmp");
    Files.writeString(staged, value + "\n");
    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
    Files.move(staged, secrets.resolve("token"), StandardCopyOption.ATOMIC_MOVE);
  }

  List<String> reasons() {
    return edgeNode.registry.events().of(SERVICE).stream().map(ServiceEvent::reason).toList();
  }

  String fetch() {
    return edgeNode.edge.fetch(client, HOSTNAME);
  }

  void sendAllAlong() {
    load =
        new Thread(
            () -> {
              while (sending.get()) {
                String reply = fetch();
                sent.incrementAndGet();
                if (!reply.contains("200 OK")) {
                  failures.add(reply.lines().findFirst().orElse(reply));
                }
              }
            },
            "load");
    load.start();
  }

  static String digest(String value) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }
}
