package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A small JSON file holding a record, replaced atomically (write beside, then rename), so that a
 * crash mid-write leaves the old state or the new one, never half of each.
 */
public final class StateFile {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private StateFile() {}

  /**
   * Writes {@code state} as JSON to {@code file}, atomically, creating its directory if needed.
   *
   * @throws java.io.UncheckedIOException if it cannot be written
   */
  public static void write(Path file, Object state) {
    try {
      Files.createDirectories(file.getParent());
      // A name of its own: two writers sharing one staging file could rename the other's half.
      Path staged = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
      try {
        JSON.writeValue(staged.toFile(), state);
        Files.move(
            staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(staged);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The record, or empty if the file is missing or unreadable (a half-created state dir). */
  public static <T> Optional<T> read(Path file, Class<T> type) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), type));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
