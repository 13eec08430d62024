package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.ServiceFiles;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ApplyResult;
import dev.berth.store.registry.ChangeKind;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example of loading files and applying them works as written. */
class ReadmeExampleTest {

  @TempDir Path services;
  @TempDir Path data;

  @Test
  void filesLoadedFromADirectoryApplyToTheRegistry() throws Exception {
    Files.writeString(
        services.resolve("web.toml"),
        """
        name = "mc-proxy"
        [[components]]
        name = "proxy"
        image = "registry.example:5000/team/mc-proxy:1.2.0"
        [[components.routes]]
        name = "https"
        port = 443
        mode = "l7"
        hostname = "mc.example.com"
        """);

    LoadResult loaded = ServiceFiles.load(services, ValidationPolicy.STRICT);
    assertThat(loaded.errors()).isEmpty();
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      ApplyResult result =
          registry
              .services()
              .apply(ApplyRequest.of("file:" + services, loaded.specs()).withPrune(true));

      assertThat(result.of("mc-proxy").kind()).isEqualTo(ChangeKind.CREATED);
    }
  }
}
