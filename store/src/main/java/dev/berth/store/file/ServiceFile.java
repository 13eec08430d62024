package dev.berth.store.file;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.toml.TomlText;
import java.util.ArrayList;
import java.util.List;

/** Reads the text of one service-definition file: TOML, then the model, then the validator. */
final class ServiceFile {

  /**
   * What one file gave.
   *
   * @param file the file's name, as messages show it
   * @param spec the service when the file mapped onto the model (even if the validator then
   *     objected, so that its name still counts among the names of a directory), else null
   * @param notes what was ignored, each prefixed with the file's name
   * @param errors every problem, empty when the service may be applied
   */
  record Outcome(String file, ServiceSpec spec, List<String> notes, List<FileError> errors) {

    static Outcome failed(String file, int line, String message) {
      return new Outcome(file, null, List.of(), List.of(new FileError(file, line, "", message)));
    }
  }

  private ServiceFile() {}

  static Outcome read(String toml, String file, ValidationPolicy policy) {
    ObjectNode tree;
    try {
      tree = TomlText.parse(toml);
    } catch (TomlText.SyntaxException e) {
      return Outcome.failed(file, e.line(), e.getMessage());
    }
    SpecMapper.Mapped mapped = SpecMapper.map(tree);
    List<String> notes = mapped.notes().stream().map(note -> file + ": " + note).toList();
    if (!mapped.problems().isEmpty()) {
      // The validator only runs on a model built from the whole file: on a partial one it would
      // report the gaps the problems above left (a port of 0, a missing runtime) a second time.
      return new Outcome(
          file,
          null,
          notes,
          mapped.problems().stream()
              .map(v -> new FileError(file, 0, v.path(), v.message()))
              .toList());
    }
    List<FileError> errors =
        new SpecValidator(policy)
            .validate(mapped.spec()).stream()
                .map(v -> new FileError(file, 0, v.path(), v.message()))
                .toList();
    if (!policy.defaultDomain().known()) {
      notes = new ArrayList<>(notes);
      for (String note : defaultDomainNotes(mapped.spec())) {
        notes.add(file + ": " + note);
      }
    }
    return new Outcome(file, mapped.spec(), notes, errors);
  }

  /**
   * Read where the agent's settings are not known (offline), an l7 route without a hostname is
   * accepted; whether the agent can serve it depends on a setting this reader cannot see.
   */
  private static List<String> defaultDomainNotes(ServiceSpec spec) {
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < spec.components().size(); i++) {
      List<RouteSpec> routes = spec.components().get(i).routes();
      for (int j = 0; j < routes.size(); j++) {
        if (routes.get(j).servedAtDefaultDomain()) {
          notes.add(
              "components["
                  + i
                  + "].routes["
                  + j
                  + "] has no hostname: it is served at "
                  + DefaultDomain.UNKNOWN.hostnameFor(spec.name())
                  + ", and an agent without "
                  + DefaultDomain.SETTING
                  + " refuses it");
        }
      }
    }
    return notes;
  }
}
