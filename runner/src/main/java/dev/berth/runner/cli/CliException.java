package dev.berth.runner.cli;

/**
 * A failure a command reports as {@code error: <message>} and ends with {@code exitCode}. For
 * failures that are the user's to fix, not bugs: no stack trace is printed.
 */
public final class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
