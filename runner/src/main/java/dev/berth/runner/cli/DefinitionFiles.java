package dev.berth.runner.cli;

import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.FileError;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.ServiceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads service-definition files for {@code apply} and {@code validate}, with the rules the agent
 * applies ({@link ValidationPolicy#STRICT}), and prints what the reader has to say: notes, and
 * every error with its file and field path. The agent's settings are not known here: what depends
 * on them ({@code routes.default_domain}) is left to the agent, with a note.
 */
final class DefinitionFiles {

  private DefinitionFiles() {}

  /** What {@code -f -} names: standard input. */
  static final String STDIN_ARGUMENT = "-";

  /** What messages call standard input, where they would name a file. */
  static final String STDIN_NAME = "<stdin>";

  /** The source of what {@code apply -f -} declares: one source, whatever was piped. */
  static final String STDIN_SOURCE = "stdin";

  private static final ValidationPolicy POLICY =
      ValidationPolicy.STRICT.withDefaultDomain(DefaultDomain.UNKNOWN);

  /** The files' services; notes and errors are printed to {@code err}. */
  static LoadResult load(Path fileOrDirectory, PrintWriter err) {
    return report(ServiceFiles.load(fileOrDirectory, POLICY), err);
  }

  /**
   * The same, where {@code -} is one file's text read from {@code stdin}, named {@code <stdin>}:
   * bounded, and strict UTF-8, as a file is.
   */
  static LoadResult load(Path fileOrDirectory, InputStream stdin, PrintWriter err) {
    if (!isStdin(fileOrDirectory)) {
      return load(fileOrDirectory, err);
    }
    return report(readStdin(stdin), err);
  }

  static boolean isStdin(Path fileOrDirectory) {
    return fileOrDirectory.toString().equals(STDIN_ARGUMENT);
  }

  private static LoadResult readStdin(InputStream stdin) {
    long max = ServiceFiles.MAX_FILE_BYTES;
    String text;
    try {
      // One byte more than allowed tells "exactly at the bound" from "beyond it".
      byte[] bytes = stdin.readNBytes((int) max + 1);
      if (bytes.length > max) {
        return failed("is larger than the " + max + " bytes a service definition may have");
      }
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return failed("is not UTF-8 text, as TOML must be");
    } catch (IOException e) {
      return failed("cannot be read: " + e.getMessage());
    }
    return ServiceFiles.read(text, STDIN_NAME, STDIN_SOURCE, POLICY);
  }

  private static LoadResult failed(String message) {
    return new LoadResult(List.of(), List.of(), List.of(new FileError(STDIN_NAME, 0, "", message)));
  }

  private static LoadResult report(LoadResult result, PrintWriter err) {
    result.notes().forEach(note -> err.println("note: " + note));
    for (FileError error : result.errors()) {
      err.println(error);
    }
    err.flush();
    return result;
  }

  /** The line that ends a failed load: {@code error: 3 problems in FILE}. */
  static String failure(LoadResult result, Path fileOrDirectory) {
    return "error: "
        + Formats.count(result.errors().size(), "problem", "problems")
        + " in "
        + (isStdin(fileOrDirectory) ? STDIN_NAME : fileOrDirectory);
  }
}
