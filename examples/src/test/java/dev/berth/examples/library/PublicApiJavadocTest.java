package dev.berth.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every public and protected declaration of the library modules an embedder programs against has a
 * javadoc comment: javadoc's "no comment" warning, as {@code javadoc -Xdoclint:missing} prints it,
 * appears for none of them.
 *
 * <p>Why a test and not {@code -Xdoclint:missing} on the modules' compile: javac's doclint has no
 * finer switch than the whole "missing" group, which also wants an {@code @param} and a
 * {@code @return} on every method, where the house style documents a setter in one sentence
 * ("Default 10 minutes."). So this runs the same doclint (javac's, over each module's main sources,
 * with the class path of this test, which holds every module) and fails only on the missing
 * comments. It analyses, never writes class files: a few seconds per module.
 */
class PublicApiJavadocTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @ParameterizedTest
  // The library modules issue 16 names: what an embedder programs against.
  @ValueSource(strings = {"controller-core", "spec", "store", "runtimes", "reconcilers", "testkit"})
  void everyPublicDeclarationHasAComment(String module) throws IOException {
    assertThat(missingComments(REPO.resolve(module).resolve("src/main/java")))
        .as("public or protected declarations of %s without a javadoc comment", module)
        .isEmpty();
  }

  /** Where doclint finds no comment, as {@code path:line: what}. */
  static List<String> missingComments(Path sources) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> missing = new ArrayList<>();
    try (StandardJavaFileManager fileManager =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options =
          List.of(
              "-Xdoclint:missing/protected",
              "-Xmaxwarns",
              "100000",
              "-proc:none",
              "-classpath",
              System.getProperty("java.class.path"));
      StringWriter out = new StringWriter();
      JavacTask task =
          (JavacTask)
              javac.getTask(
                  out,
                  fileManager,
                  diagnostics,
                  options,
                  null,
                  fileManager.getJavaFileObjectsFromPaths(files));
      task.analyze();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        String message = d.getMessage(Locale.ROOT);
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          throw new AssertionError("cannot analyse " + sources + ": " + d);
        }
        if (message.equals("no comment")) {
          missing.add(
              sources.relativize(Path.of(d.getSource().toUri()))
                  + ":"
                  + d.getLineNumber()
                  + ": "
                  + message);
        }
      }
    }
    return missing;
  }
}
