package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every local runtime does around its subclass's launches. */
class LocalWorkloadRuntimeTest {

  @TempDir Path root;

  @Test
  void aWorkloadWhoseRunIsUnderWayIsNotListedSoAFailedRunWasNeverSeen() throws Exception {
    try (Gated runtime = new Gated(root)) {
      CompletableFuture<Workload> run =
          CompletableFuture.supplyAsync(
              () -> runtime.run(WorkloadSpec.builder("app", WorkloadKind.PROCESS).build()));
      assertThat(runtime.launching.await(10, TimeUnit.SECONDS)).isTrue();

      // Its record is on disk and it is in the runtime's map, yet a list does not show it.
      assertThat(runtime.list()).isEmpty();

      runtime.proceed.countDown();
      assertThatThrownBy(run::join).hasCauseInstanceOf(RuntimeFailure.class);
      assertThat(runtime.list()).isEmpty();
    }
  }

  /** A runtime whose one launch writes its record, waits for the test, then fails. */
  private static final class Gated extends LocalWorkloadRuntime<Item> {

    final CountDownLatch launching = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);

    Gated(Path root) {
      super("gated", WorkloadKind.PROCESS, "gate-", root);
      adoptAll();
    }

    @Override
    public void ensureImage(String image, PullPolicy policy) {}

    @Override
    protected void check(WorkloadSpec spec) {}

    @Override
    protected Item create(Path directory, WorkloadSpec spec) {
      return new Item(directory);
    }

    @Override
    protected void launch(Item workload) {
      workload.record();
      launching.countDown();
      try {
        proceed.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new RuntimeFailure(Reason.FAILED, "gated: refused", (String) null);
    }

    @Override
    protected void halt(Item workload, Duration timeout) {}

    @Override
    protected Optional<Item> adopt(Path directory) {
      return Files.exists(directory.resolve(STATE_FILE))
          ? Optional.of(new Item(directory))
          : Optional.empty();
    }

    @Override
    protected Workload describe(Item workload) {
      return new Workload(
          workload.id(),
          "app",
          Map.of(),
          WorkloadState.CREATED,
          null,
          null,
          null,
          List.of(),
          WorkloadKind.PROCESS);
    }
  }

  private static final class Item extends TrackedWorkload {

    private final Path directory;

    Item(Path directory) {
      super(directory);
      this.directory = directory;
    }

    /** Its record on disk, as a real runtime writes it before anything runs. */
    void record() {
      try {
        Files.writeString(directory.resolve(LocalWorkloadRuntime.STATE_FILE), "{}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String name() {
      return "app";
    }

    @Override
    public Map<String, String> labels() {
      return Map.of();
    }

    @Override
    public LogFile log() {
      return new LogFile(directory.resolve("output.log"));
    }

    @Override
    public boolean running() {
      return false;
    }
  }
}
