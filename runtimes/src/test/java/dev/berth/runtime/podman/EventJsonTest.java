package dev.berth.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeEvent.Type;
import dev.berth.runtime.WorkloadKind;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading lines of {@code podman events --format json} (podman 4.3.1's real output). */
class EventJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Optional<RuntimeEvent> parse(String line) throws Exception {
    return EventJson.parse(JSON.readTree(line));
  }

  @Test
  void aDeathCarriesTheExitCodeAndTheLabels() throws Exception {
    RuntimeEvent event =
        parse(
                """
                {"ContainerExitCode":137,"ID":"93fe85","Image":"localhost/berth-exp:1",\
                "Name":"exp1","Status":"died","Time":"2026-11-22T01:58:04.146603751Z",\
                "Type":"container","Attributes":{"berth.test":"1"}}""")
            .orElseThrow();

    assertThat(event)
        .isEqualTo(
            new RuntimeEvent(
                Type.DIED,
                "93fe85",
                "exp1",
                Map.of("berth.test", "1"),
                WorkloadKind.CONTAINER,
                137,
                Instant.parse("2026-11-22T01:58:04.146603751Z")));
  }

  @Test
  void onlyADeathHasAnExitCode() throws Exception {
    RuntimeEvent event =
        parse(
                """
                {"ID":"5b89d7","Image":"localhost/berth-exp:1","Name":"exp2","Status":"start",\
                "Time":"2026-11-22T01:58:05.284839696Z","Type":"container","Attributes":{}}""")
            .orElseThrow();

    assertThat(event.type()).isEqualTo(Type.STARTED);
    assertThat(event.exitCode()).isNull();
    assertThat(event.labels()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"create, CREATED", "start, STARTED", "died, DIED", "oom, OOM", "remove, REMOVED"})
  void podmanStatusesThatMatter(String status, Type type) {
    assertThat(EventJson.type(status)).contains(type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"init", "attach", "kill", "cleanup", "stop", "exec", "pause", "mount"})
  void theRestArePassedOver(String status) {
    assertThat(EventJson.type(status)).isEmpty();
  }

  @Test
  void eventsOfOtherTypesArePassedOver() throws Exception {
    assertThat(
            parse(
                """
                {"ID":"ea5506","Name":"localhost/berth-exp:3","Status":"remove",\
                "Time":"2026-11-22T02:04:16Z","Type":"image"}"""))
        .isEmpty();
  }
}
