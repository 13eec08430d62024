package dev.berth.store.file;

import java.util.List;
import java.util.stream.Collectors;

/** Service-definition files that could not be loaded; carries every error, not just the first. */
public class ServiceFileException extends RuntimeException {

  /** Every problem found, file by file. */
  private final List<FileError> errors;

  /** Files that failed with {@code errors}, at least one; the message lists them all. */
  public ServiceFileException(List<FileError> errors) {
    super(
        errors.size() == 1
            ? errors.get(0).toString()
            : errors.size()
                + " problems:\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, file by file. */
  public List<FileError> errors() {
    return errors;
  }
}
