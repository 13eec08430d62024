package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry its holder did not close (kill -9, crash, power loss) is rewritten when it is next
 * opened, into a file holding only what that open recovered, so that nothing the recovery passed
 * over can be found by a later one; a registry closed cleanly is opened as it is.
 */
class RewriteAfterUncleanStopTest {

  @TempDir Path dataDirectory;

  @Test
  void aRegistryWhoseHolderWasKilledIsRewrittenAtTheNextOpenWithEveryAcknowledgedWrite()
      throws Exception {
    String lastAcknowledged = killAnApplyLoopAfterAcknowledgements(30);

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.rewriteAtOpen()).isPresent();
      RegistryRewrite rewrite = registry.rewriteAtOpen().orElseThrow();
      assertThat(rewrite.bytesAfter()).isPositive();
      assertThat(rewrite.bytesBefore()).isPositive();
      String[] ack = lastAcknowledged.split(" ", 4);
      StoredService stored = registry.services().get(ack[1]).orElseThrow();
      assertThat(stored.generation()).isGreaterThanOrEqualTo(Long.parseLong(ack[2]));
    }
  }

  @Test
  void aRegistryClosedAfterTheRewriteIsOpenedAsItIs() throws Exception {
    killAnApplyLoopAfterAcknowledgements(5);
    try (Registry rewritten = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(rewritten.rewriteAtOpen()).isPresent();
    }

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.rewriteAtOpen()).isEmpty();
    }
  }

  @Test
  void aRegistryClosedCleanlyIsNotRewritten() {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("web"))));
    }

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.rewriteAtOpen()).isEmpty();
      assertThat(registry.services().get("web")).isPresent();
    }
  }

  @Test
  void aNewRegistryIsNotRewritten() {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.rewriteAtOpen()).isEmpty();
    }
  }

  @Test
  void aRewriteLeavesTheFileReadableByItsOwnerOnly() throws Exception {
    killAnApplyLoopAfterAcknowledgements(3);

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.rewriteAtOpen()).isPresent();
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dataDirectory.resolve("registry.mv.db"))))
          .isEqualTo("rw-------");
    }
  }

  /**
   * Runs {@link ApplyLoop} in a child JVM until it acknowledged {@code acknowledgements} applies,
   * then kills it with SIGKILL; returns the last acknowledgement it printed.
   */
  private String killAnApplyLoopAfterAcknowledgements(int acknowledgements) throws Exception {
    Process child = ChildJvm.start(ApplyLoop.class, dataDirectory.toString(), "0");
    try {
      BufferedReader out = ChildJvm.stdout(child);
      ChildJvm.awaitLine(out, "READY", child);
      String last = null;
      for (int i = 0; i < acknowledgements; i++) {
        last = ChildJvm.awaitLine(out, "ACK ", child);
      }
      return last;
    } finally {
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
