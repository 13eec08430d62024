package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void aRewriteThatFindsNoRoomRefusesToOpenAndLeavesTheFileAsItWas() throws Exception {
    Tmpfs.require();
    killAnApplyLoopAfterAcknowledgements(20);
    Path full = dataDirectory.resolve("full");
    try (Tmpfs tmpfs = Tmpfs.mount(full, "8m")) {
      Files.copy(dataDirectory.resolve("registry.mv.db"), full.resolve("registry.mv.db"));
      Files.copy(dataDirectory.resolve(RegistryLock.FILE), full.resolve(RegistryLock.FILE));
      byte[] before = Files.readAllBytes(full.resolve("registry.mv.db"));
      tmpfs.fill();

      assertThatThrownBy(() -> Registry.open(RegistryConfig.at(full)))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("rewriting it after an unclean stop failed")
          .hasMessageContaining("The registry is unchanged");
      assertThat(Files.readAllBytes(full.resolve("registry.mv.db"))).isEqualTo(before);
      assertThat(full.resolve("registry.mv.db.tempFile")).doesNotExist();

      Files.delete(full.resolve("filler"));
      try (Registry registry = Registry.open(RegistryConfig.at(full))) {
        assertThat(registry.rewriteAtOpen()).isPresent();
        assertThat(registry.services().names()).isNotEmpty();
      }
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
