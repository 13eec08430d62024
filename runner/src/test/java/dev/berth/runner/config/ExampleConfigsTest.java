package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration files the examples ship load as they are, with the agent's own loader. */
class ExampleConfigsTest {

  /** The repository root, seen from the runner module's directory (where Maven runs tests). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "examples/quickstart/berth.toml",
        "examples/quickstart-podman/berth.toml",
        "examples/systemd/berth.toml"
      })
  void anExampleConfigurationLoads(String file) {
    AgentConfig config = AgentConfigLoader.load(ROOT.resolve(file), ROOT);

    assertThat(config.api().socket()).isNotNull();
  }
}
