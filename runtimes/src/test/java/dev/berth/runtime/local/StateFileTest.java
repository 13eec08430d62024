package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state file holds one record, replaced whole. */
class StateFileTest {

  record Sample(String name, int count, ProcessIdentity identity) {}

  @TempDir Path temporary;

  @Test
  void aRecordWrittenReadsBackEqualWithItsInstants() {
    Path file = temporary.resolve("dir/state.json");
    Sample sample =
        new Sample("x", 3, new ProcessIdentity(42, Instant.parse("2026-01-02T03:04:05.678901Z")));

    StateFile.write(file, sample);

    assertThat(StateFile.read(file, Sample.class)).contains(sample);
  }

  @Test
  void aMissingOrUnreadableFileReadsAsNothing() throws IOException {
    assertThat(StateFile.read(temporary.resolve("absent.json"), Sample.class)).isEmpty();
    Path garbled = Files.writeString(temporary.resolve("garbled.json"), "{\"name\": \"x\", ");
    assertThat(StateFile.read(garbled, Sample.class)).isEmpty();
  }

  @Test
  void concurrentWritersLeaveOneWholeRecordAndNoStagingFiles() throws Exception {
    Path file = temporary.resolve("state.json");
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int writer = 0; writer < 4; writer++) {
        String name = "writer-" + writer + "-" + "x".repeat(writer * 500);
        done.add(
            writers.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    StateFile.write(file, new Sample(name, i, null));
                  }
                }));
      }
      for (Future<?> each : done) {
        each.get(); // rethrows what a writer threw
      }
    } finally {
      writers.shutdownNow();
    }

    assertThat(StateFile.read(file, Sample.class))
        .hasValueSatisfying(s -> assertThat(s.count()).isEqualTo(199));
    try (Stream<Path> files = Files.list(temporary)) {
      assertThat(files).containsExactly(file);
    }
  }
}
