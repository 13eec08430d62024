package dev.berth.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloSettingsTest {

  @Test
  void thePortComesFromPortHttp() {
    assertThat(HelloSettings.from(Map.of("PORT_HTTP", "10042"), List.of()).port()).isEqualTo(10042);
  }

  @Test
  void theArgumentsAreTheGreetingWhenThereAreAny() {
    HelloSettings settings =
        HelloSettings.from(
            Map.of("PORT_HTTP", "8080", "GREETING", "from the variable"),
            List.of("hello", "from", "args"));

    assertThat(settings.greeting()).isEqualTo("hello from args");
  }

  @Test
  void theGreetingVariableIsTheGreetingWithoutArguments() {
    HelloSettings settings =
        HelloSettings.from(Map.of("PORT_HTTP", "8080", "GREETING", "from the variable"), List.of());

    assertThat(settings.greeting()).isEqualTo("from the variable");
  }

  @Test
  void withNeitherTheGreetingIsTheDefault() {
    assertThat(HelloSettings.from(Map.of("PORT_HTTP", "8080"), List.of()).greeting())
        .isEqualTo("hello from berth");
  }

  @Test
  void aMissingPortNamesTheVariableAndWhereItComesFrom() {
    assertThatThrownBy(() -> HelloSettings.from(Map.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("PORT_HTTP is not set: Berth sets it from the component's route")
        .hasMessageContaining("PORT_HTTP=8080 java -cp berth-quickstart.jar");
  }

  @Test
  void aPortThatIsNotANumberIsRefused() {
    assertThatThrownBy(() -> HelloSettings.from(Map.of("PORT_HTTP", "http"), List.of()))
        .hasMessage("PORT_HTTP: must be a port, 1..65535, was \"http\"");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertThatThrownBy(() -> HelloSettings.from(Map.of("PORT_HTTP", "70000"), List.of()))
        .hasMessage("PORT_HTTP: must be a port, 1..65535, was \"70000\"");
    assertThatThrownBy(() -> HelloSettings.from(Map.of("PORT_HTTP", "0"), List.of()))
        .hasMessage("PORT_HTTP: must be a port, 1..65535, was \"0\"");
  }
}
