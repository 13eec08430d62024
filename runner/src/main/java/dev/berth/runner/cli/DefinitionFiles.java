package dev.berth.runner.cli;

import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.FileError;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.ServiceFiles;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Reads service-definition files for {@code apply} and {@code validate}, with the rules the agent
 * applies ({@link ValidationPolicy#STRICT}), and prints what the reader has to say: notes, and
 * every error with its file and field path. The agent's settings are not known here: what depends
 * on them ({@code routes.default_domain}) is left to the agent, with a note.
 */
final class DefinitionFiles {

  private DefinitionFiles() {}

  /** The files' services; notes and errors are printed to {@code err}. */
  static LoadResult load(Path fileOrDirectory, PrintWriter err) {
    LoadResult result =
        ServiceFiles.load(
            fileOrDirectory, ValidationPolicy.STRICT.withDefaultDomain(DefaultDomain.UNKNOWN));
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
        + fileOrDirectory;
  }
}
