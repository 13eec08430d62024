package dev.berth.runner.config;

import dev.berth.spec.validation.Violation;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. Carries every problem found, not just the first, so that an
 * operator fixes a file in one round.
 */
public class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final List<Violation> errors;

  /**
   * @param file the file as the operator named it ({@code berth.toml}), or {@link
   *     AgentConfig#DEFAULTS_SOURCE} when no file was given
   * @param errors at least one
   */
  public ConfigException(String file, List<Violation> errors) {
    super(format(file, errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.file = file;
    this.errors = List.copyOf(errors);
  }

  public String file() {
    return file;
  }

  public List<Violation> errors() {
    return errors;
  }

  /** One line per error: {@code berth.toml: reconcile.workers: must be 1..64, was 0}. */
  private static String format(String file, List<Violation> errors) {
    Objects.requireNonNull(file, "file");
    return errors.stream().map(e -> file + ": " + e).collect(Collectors.joining("\n"));
  }
}
