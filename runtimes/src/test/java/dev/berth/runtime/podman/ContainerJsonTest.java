package dev.berth.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading podman 4.3.1's JSON (the samples are its real output, trimmed). */
class ContainerJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String PS_EXITED =
      """
      {
        "Command": ["sh", "-c", "exit 3"],
        "Exited": true,
        "ExitedAt": 1795313056,
        "ExitCode": 3,
        "Id": "260daf86bafdc84c30cd42842cfcfc08c257fee85b0c2a19419e03429ea78f8f",
        "Image": "localhost/berth-exp:3",
        "Labels": {"berth.component": "web", "berth.service": "shop"},
        "Names": ["j1"],
        "Ports": [
          {"host_ip": "127.0.0.1", "container_port": 8080, "host_port": 18085, "range": 1,
           "protocol": "tcp"},
          {"host_ip": "::1", "container_port": 9000, "host_port": 18086, "range": 2,
           "protocol": "tcp"},
          {"host_ip": "", "container_port": 53, "host_port": 5353, "range": 1, "protocol": "udp"}
        ],
        "StartedAt": 1795313056,
        "State": "exited",
        "Status": "Exited (3) 1 second ago"
      }
      """;

  private static final String PS_CREATED_UNLABELLED =
      """
      {
        "Exited": false,
        "ExitCode": 0,
        "Id": "c352d6bff6424e4c8d486059ab08c95876fd832bb10164b056b8e5877568e299",
        "Image": "localhost/berth-exp:1",
        "Labels": null,
        "Names": ["b1"],
        "Ports": null,
        "StartedAt": -62135596800,
        "State": "created"
      }
      """;

  private static final String INSPECT_EXITED =
      """
      {
        "Id": "260daf86bafdc84c30cd42842cfcfc08c257fee85b0c2a19419e03429ea78f8f",
        "Name": "j1",
        "ImageName": "localhost/berth-exp:3",
        "State": {
          "Status": "exited",
          "Running": false,
          "ExitCode": 3,
          "StartedAt": "2026-11-22T02:04:16.958865513Z",
          "FinishedAt": "2026-11-22T02:04:16.960184293Z"
        },
        "Config": {"Labels": {"berth.component": "web", "berth.service": "shop"}},
        "HostConfig": {
          "PortBindings": {
            "8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18085"}],
            "9000/tcp": [{"HostIp": "::1", "HostPort": "18086"}],
            "53/udp": [{"HostIp": "", "HostPort": "5353"}]
          }
        }
      }
      """;

  private static final String INSPECT_CREATED =
      """
      {
        "Id": "c352d6bff6424e4c8d486059ab08c95876fd832bb10164b056b8e5877568e299",
        "Name": "b1",
        "ImageName": "localhost/berth-exp:1",
        "State": {"Status": "created", "ExitCode": 0, "StartedAt": "0001-01-01T00:00:00Z"},
        "Config": {"Labels": null},
        "HostConfig": {"PortBindings": {}}
      }
      """;

  @Test
  void aPsEntryBecomesAWorkloadWithOneBindingPerTcpPort() throws Exception {
    Workload workload = ContainerJson.fromPs(JSON.readTree(PS_EXITED));

    assertThat(workload.id())
        .isEqualTo("260daf86bafdc84c30cd42842cfcfc08c257fee85b0c2a19419e03429ea78f8f");
    assertThat(workload.name()).isEqualTo("j1");
    assertThat(workload.labels())
        .isEqualTo(Map.of("berth.component", "web", "berth.service", "shop"));
    assertThat(workload.managed()).isTrue();
    assertThat(workload.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(workload.exitCode()).isEqualTo(3);
    assertThat(workload.startedAt()).isEqualTo(Instant.ofEpochSecond(1795313056));
    assertThat(workload.image()).isEqualTo("localhost/berth-exp:3");
    assertThat(workload.kind()).isEqualTo(WorkloadKind.CONTAINER);
    assertThat(workload.ports())
        .containsExactly(
            new PortBinding(null, "127.0.0.1", 18085, 8080),
            new PortBinding(null, "::1", 18086, 9000),
            new PortBinding(null, "::1", 18087, 9001));
  }

  @Test
  void aContainerThatNeverRanHasNoStartTimeNoExitCodeAndNoLabels() throws Exception {
    Workload workload = ContainerJson.fromPs(JSON.readTree(PS_CREATED_UNLABELLED));

    assertThat(workload.state()).isEqualTo(WorkloadState.CREATED);
    assertThat(workload.startedAt()).isNull();
    assertThat(workload.exitCode()).isNull();
    assertThat(workload.labels()).isEmpty();
    assertThat(workload.managed()).isFalse();
    assertThat(workload.ports()).isEmpty();
  }

  @Test
  void anInspectEntryReadsLikeThePsEntryOfTheSameContainer() throws Exception {
    Workload inspected = ContainerJson.fromInspect(JSON.readTree(INSPECT_EXITED));

    assertThat(inspected.id())
        .isEqualTo("260daf86bafdc84c30cd42842cfcfc08c257fee85b0c2a19419e03429ea78f8f");
    assertThat(inspected.name()).isEqualTo("j1");
    assertThat(inspected.labels())
        .isEqualTo(Map.of("berth.component", "web", "berth.service", "shop"));
    assertThat(inspected.state()).isEqualTo(WorkloadState.EXITED);
    assertThat(inspected.exitCode()).isEqualTo(3);
    assertThat(inspected.startedAt()).isEqualTo(Instant.parse("2026-11-22T02:04:16.958865513Z"));
    assertThat(inspected.image()).isEqualTo("localhost/berth-exp:3");
    assertThat(inspected.ports())
        .containsExactlyInAnyOrder(
            new PortBinding(null, "127.0.0.1", 18085, 8080),
            new PortBinding(null, "::1", 18086, 9000));
  }

  @Test
  void goZeroTimeInInspectMeansNeverStarted() throws Exception {
    Workload inspected = ContainerJson.fromInspect(JSON.readTree(INSPECT_CREATED));

    assertThat(inspected.state()).isEqualTo(WorkloadState.CREATED);
    assertThat(inspected.startedAt()).isNull();
    assertThat(inspected.exitCode()).isNull();
    assertThat(inspected.labels()).isEmpty();
  }

  @Test
  void timesWithALocalOffsetAreTheSameInstant() {
    assertThat(ContainerJson.rfc3339("2026-11-22T04:04:16.5+02:00"))
        .isEqualTo(Instant.parse("2026-11-22T02:04:16.5Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "created, CREATED",
    "configured, CREATED",
    "initialized, CREATED",
    "running, RUNNING",
    "stopping, RUNNING",
    "exited, EXITED",
    "stopped, EXITED",
    "paused, PAUSED",
    "removing, UNKNOWN",
    "unknown, UNKNOWN",
    "something-new, UNKNOWN"
  })
  void podmanStatesMapOntoBerthsFive(String podman, WorkloadState berth) {
    assertThat(ContainerJson.state(podman)).isEqualTo(berth);
  }
}
