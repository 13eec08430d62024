package dev.berth.store.file;

import dev.berth.spec.model.ServiceSpec;
import java.util.List;

/**
 * What loading service-definition files gave.
 *
 * <p>Loading is all or nothing: when there is any error, {@code services} is empty. A directory is
 * applied as one source, so applying only its good files would remove the services of a broken one.
 *
 * @param services the services, in the order of their files' names; empty when there are errors
 * @param notes what was accepted but ignored, such as {@code web.toml: [build.images] is ignored:
 *     Berth runs images, it does not build them}; present with or without errors
 * @param errors every problem found, file by file
 */
public record LoadResult(List<LoadedService> services, List<String> notes, List<FileError> errors) {

  /** Copies the lists; refuses services beside errors, as a load with errors yields none. */
  public LoadResult {
    services = List.copyOf(services);
    notes = List.copyOf(notes);
    errors = List.copyOf(errors);
    if (!errors.isEmpty() && !services.isEmpty()) {
      throw new IllegalArgumentException("a result with errors carries no services");
    }
  }

  /** Whether every file loaded without error. */
  public boolean ok() {
    return errors.isEmpty();
  }

  /** The specs of the loaded services, in load order. */
  public List<ServiceSpec> specs() {
    return services.stream().map(LoadedService::spec).toList();
  }

  /** The services, or a {@link ServiceFileException} carrying every error. */
  public List<LoadedService> servicesOrThrow() {
    if (!errors.isEmpty()) {
      throw new ServiceFileException(errors);
    }
    return services;
  }
}
