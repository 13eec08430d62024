package dev.berth.runtime.podman;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/** The output of a running process as a stream of lines; closing the stream kills the process. */
final class ProcessLines {

  private ProcessLines() {}

  static Stream<String> of(Process process) {
    BufferedReader reader = process.inputReader(StandardCharsets.UTF_8);
    return reader
        .lines()
        .onClose(
            () -> {
              // Kill first: a reader blocked in readLine holds the lock that close() needs, and
              // returns only once the dead process's pipe reports its end.
              process.destroyForcibly();
              try {
                reader.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }
}
