package dev.berth.store.file;

import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.spec.validation.Violation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Loads service definitions from TOML files: one file, every {@code *.toml} file directly in a
 * directory, or text held in memory. The format is described in {@code
 * docs/service-definitions.md}.
 *
 * <p>{@link #load} and {@link #read} never throw for bad input: every problem comes back in {@link
 * LoadResult#errors()}, and a result with errors holds no services. Each service is checked by
 * {@link SpecValidator}, and the services of a directory also against each other (names, routes
 * claimed twice).
 */
public final class ServiceFiles {

  /**
   * A service definition is a page or two. A larger file is almost certainly something else (a log,
   * an image) picked up by mistake, and is refused: the bound holds while reading, so not even a
   * device that never ends ({@code /dev/zero}) is read into memory beyond it.
   */
  public static final long MAX_FILE_BYTES = 1024 * 1024;

  private static final String SUFFIX = ".toml";

  private ServiceFiles() {}

  /**
   * Loads one file, or every {@code *.toml} file directly in a directory (not in subdirectories,
   * and not those whose names start with a dot, as a shell's {@code *.toml} would), in the order of
   * their names.
   *
   * <p>Services from a directory share the source {@code file:/abs/dir}; a single file's service
   * has {@code file:/abs/dir/web.toml}.
   */
  public static LoadResult load(Path fileOrDirectory, ValidationPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    Path path = fileOrDirectory.toAbsolutePath().normalize();
    if (Files.isDirectory(path)) {
      return loadDirectory(path, policy);
    }
    if (!Files.exists(path)) {
      return failed(path, "no such file or directory");
    }
    return combine(List.of(readFile(path, policy)), "file:" + path, policy);
  }

  /**
   * Loads the text of one file without touching the disk, for embedders and tests.
   *
   * @param toml the file's text
   * @param fileName the name messages show, such as {@code web.toml}
   * @param source what the service is applied with, such as {@code grpc:apply} or {@code
   *     file:/etc/berth/web.toml}
   */
  public static LoadResult read(
      String toml, String fileName, String source, ValidationPolicy policy) {
    Objects.requireNonNull(toml, "toml");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(policy, "policy");
    return combine(List.of(ServiceFile.read(toml, fileName, policy)), source, policy);
  }

  /**
   * The service of one file's text, or a {@link ServiceFileException} with every error. Notes are
   * dropped; use {@link #read} to see them.
   */
  public static ServiceSpec parse(String toml, String fileName, ValidationPolicy policy) {
    return read(toml, fileName, "inline:" + fileName, policy).servicesOrThrow().get(0).spec();
  }

  private static LoadResult loadDirectory(Path dir, ValidationPolicy policy) {
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files =
          entries
              .filter(ServiceFiles::isDefinitionFile)
              .sorted(Comparator.comparing(file -> file.getFileName().toString()))
              .toList();
    } catch (IOException e) {
      return failed(dir, "cannot list the directory: " + reason(e));
    }
    if (files.isEmpty()) {
      return failed(dir, "no *" + SUFFIX + " files in this directory");
    }
    List<ServiceFile.Outcome> outcomes = new ArrayList<>();
    for (Path file : files) {
      outcomes.add(readFile(file, policy));
    }
    return combine(outcomes, "file:" + dir, policy);
  }

  private static boolean isDefinitionFile(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(SUFFIX) && !name.startsWith(".") && !Files.isDirectory(path);
  }

  private static ServiceFile.Outcome readFile(Path path, ValidationPolicy policy) {
    String name = path.getFileName().toString();
    try {
      String text = BoundedText.read(path, MAX_FILE_BYTES, "a service definition");
      return ServiceFile.read(text, name, policy);
    } catch (BoundedText.RefusedException e) {
      return ServiceFile.Outcome.failed(name, 0, e.getMessage());
    } catch (CharacterCodingException e) {
      return ServiceFile.Outcome.failed(name, 0, "is not UTF-8 text, as TOML must be");
    } catch (IOException e) {
      return ServiceFile.Outcome.failed(name, 0, "cannot be read: " + reason(e));
    }
  }

  /** One result from the files applied together as {@code source}. */
  private static LoadResult combine(
      List<ServiceFile.Outcome> outcomes, String source, ValidationPolicy policy) {
    List<String> notes = new ArrayList<>();
    List<FileError> errors = new ArrayList<>();
    List<LoadedService> services = new ArrayList<>();
    Map<String, String> fileByName = new HashMap<>();
    for (ServiceFile.Outcome outcome : outcomes) {
      notes.addAll(outcome.notes());
      errors.addAll(outcome.errors());
      ServiceSpec spec = outcome.spec();
      if (spec == null) {
        continue;
      }
      services.add(new LoadedService(spec, outcome.file(), source));
      if (spec.name() != null && !spec.name().isEmpty()) {
        // Whole names only: "mc" and "mc-proxy" are two services.
        String first = fileByName.putIfAbsent(spec.name(), outcome.file());
        if (first != null) {
          errors.add(
              new FileError(
                  outcome.file(),
                  0,
                  "name",
                  "service " + Rules.quote(spec.name()) + " is already declared in " + first));
        }
      }
    }
    if (errors.isEmpty()) {
      errors.addAll(crossServiceErrors(services, policy));
    }
    return new LoadResult(errors.isEmpty() ? services : List.of(), notes, errors);
  }

  /**
   * What only shows when the services are seen together, such as two routes claiming one hostname
   * on one listener port. Called when every service is valid and uniquely named, so every violation
   * found here is between services, and its {@code services[NAME]} prefix names the file.
   */
  private static List<FileError> crossServiceErrors(
      List<LoadedService> services, ValidationPolicy policy) {
    if (services.size() < 2) {
      return List.of();
    }
    List<FileError> errors = new ArrayList<>();
    List<ServiceSpec> specs = services.stream().map(LoadedService::spec).toList();
    for (Violation violation : new SpecValidator(policy).validateAll(specs)) {
      errors.add(inFileOf(violation, services));
    }
    return errors;
  }

  private static FileError inFileOf(Violation violation, List<LoadedService> services) {
    for (LoadedService service : services) {
      String prefix = "services[" + service.spec().name() + "]";
      if (violation.path().equals(prefix)) {
        return new FileError(service.file(), 0, "", violation.message());
      }
      if (violation.path().startsWith(prefix + ".")) {
        return new FileError(
            service.file(),
            0,
            violation.path().substring(prefix.length() + 1),
            violation.message());
      }
    }
    // Not expected, but a violation is never dropped for want of a file to blame.
    return new FileError(services.get(0).source(), 0, violation.path(), violation.message());
  }

  private static LoadResult failed(Path path, String message) {
    return new LoadResult(
        List.of(), List.of(), List.of(new FileError(path.toString(), 0, "", message)));
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
