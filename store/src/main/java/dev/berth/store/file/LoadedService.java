package dev.berth.store.file;

import dev.berth.spec.model.ServiceSpec;
import java.util.Objects;

/**
 * A service read from a definition file, ready to apply.
 *
 * @param spec the service as declared, already validated
 * @param file the name of the file it came from, for messages
 * @param source what to apply it with: {@code file:/abs/dir} when a directory was loaded (every
 *     service of that directory shares it, so the directory can be applied as a whole), {@code
 *     file:/abs/web.toml} when a single file was
 */
public record LoadedService(ServiceSpec spec, String file, String source) {

  /** Requires every part. */
  public LoadedService {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
  }
}
