package dev.berth.runner.cli;

import static dev.berth.runner.cli.Services.condition;
import static dev.berth.runner.cli.Services.declared;
import static dev.berth.runner.cli.Services.event;
import static dev.berth.runner.cli.Services.ready;
import static dev.berth.runner.cli.Services.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class StatusCommandTest extends FakeAgentTest {

  private static final Timestamp STARTED =
      Timestamp.newBuilder().setSeconds(1_714_564_800L).build();

  private static AgentProto.Service hello() {
    AgentProto.Service.Builder hello =
        declared("hello", 3, "web", "db")
            .setSource("file:/srv/berth")
            .addComponents(
                status("web", "running", 3)
                    .setVersion("1.4.2")
                    .setStartedAt(STARTED)
                    .setUptimeSeconds(192)
                    .addPorts(
                        AgentProto.HostPort.newBuilder()
                            .setRoute("http")
                            .setHostIp("127.0.0.1")
                            .setHostPort(10000)
                            .setContainerPort(8080))
                    .addPorts(
                        AgentProto.HostPort.newBuilder()
                            .setHostIp("::1")
                            .setHostPort(9091)
                            .setContainerPort(91)))
            .addConditions(ready("web"))
            .addConditions(condition("db", "Ready", "False", "Pending"))
            .addEvents(event("hello", "web", "Normal", "Started", "started container 3f2a"))
            .addEvents(event("hello", "", "Warning", "RoutesFailed", "nginx -t failed"));
    return hello.build();
  }

  private static AgentProto.Service old() {
    AgentProto.Service.Builder old =
        declared("old", 1, "app")
            .addComponents(
                status("app", "exited", 1)
                    .setRuntime("process")
                    .setExitCode(1)
                    .setStartedAt(STARTED));
    old.getSpecBuilder().getComponentsBuilder(0).setRuntime("process");
    return old.build();
  }

  @Test
  void oneAlignedRowPerComponentWithPendingForComponentsNotReportedYet() {
    agent.list =
        AgentProto.ListServicesResponse.newBuilder()
            .addServices(hello())
            .addServices(old())
            .build();

    Cli.Run run = cli.run("status");

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .containsExactly(
            "SERVICE  COMPONENT  RUNTIME    STATE    VERSION  UPTIME  PORTS",
            "hello    web        podman     running  1.4.2    3m12s   127.0.0.1:10000->8080 (http),"
                + " [::1]:9091->91",
            "hello    db         container  pending  -        -       -",
            "old      app        process    exited   -        -       -");
  }

  @Test
  void aReportedComponentNoLongerDeclaredStillShows() {
    AgentProto.Service service =
        declared("hello", 2, "web").addComponents(status("gone", "running", 1)).build();
    agent.list = AgentProto.ListServicesResponse.newBuilder().addServices(service).build();

    Cli.Run run = cli.run("status");

    assertThat(run.outLines()).hasSize(3);
    assertThat(run.outLines().get(1)).startsWith("hello    web").contains("pending");
    assertThat(run.outLines().get(2)).startsWith("hello    gone").contains("running");
  }

  @Test
  void noServicesSaysSo() {
    Cli.Run run = cli.run("status");

    assertThat(run.out()).isEqualTo("no services are declared\n");
  }

  @Test
  void oneServiceAddsItsDeclarationConditionsAndEvents() {
    agent.answers("hello", hello());

    Cli.Run run = cli.run("status", "hello");

    assertThat(run.exitCode()).isZero();
    assertThat(agent.requests(AgentProto.GetServiceRequest.class))
        .containsExactly(
            AgentProto.GetServiceRequest.newBuilder().setName("hello").setEvents(10).build());
    assertThat(run.out())
        .contains("hello    web        podman")
        .contains("desired     running\ngeneration  3\nsource      file:/srv/berth\n")
        .contains(
            "Conditions:\n"
                + "  COMPONENT  TYPE   STATUS  REASON   MESSAGE  SINCE\n"
                + "  web        Ready  True    Running  -        -\n"
                + "  db         Ready  False   Pending  -        -\n")
        .contains(
            "Events:\n"
                + "  2024-05-01T12:00:01Z  Normal   hello/web  Started: started container 3f2a\n"
                + "  2024-05-01T12:00:01Z  Warning  hello  RoutesFailed: nginx -t failed\n");
  }

  @Test
  void anUnknownServiceExits4WithTheAgentsMessage() {
    Cli.Run run = cli.run("status", "nope");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).isEqualTo("error: no service named \"nope\"\n");
  }

  @Test
  void jsonPrintsTheListServicesResponseAsOneDocument() throws Exception {
    agent.list =
        AgentProto.ListServicesResponse.newBuilder()
            .addServices(hello())
            .addServices(old())
            .build();

    Cli.Run run = cli.run("status", "--json");

    AgentProto.ListServicesResponse.Builder parsed = AgentProto.ListServicesResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.build()).isEqualTo(agent.list);
  }

  @Test
  void jsonOfOneServicePrintsTheService() throws Exception {
    agent.answers("hello", hello());

    Cli.Run run = cli.run("status", "hello", "--json");

    AgentProto.Service.Builder parsed = AgentProto.Service.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.build()).isEqualTo(hello());
  }

  @Test
  void anInternalErrorOfTheAgentExits1() {
    agent.fail("ListServices", Status.INTERNAL.withDescription("registry closed"));

    Cli.Run run = cli.run("status");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).isEqualTo("error: registry closed\n");
  }

  @Test
  void wideAddsTheGenerationsTheWorkloadTheImageAndTheMessageOnOneLine() {
    AgentProto.Service.Builder service = declared("hello", 4, "web", "db");
    service.addComponents(
        status("web", "exited", 3)
            .setWorkloadId("3f2a9c1d7b0e")
            .setImage("example/web:1.0")
            .setMessage("exited with code 3\nafter 2 s"));
    agent.list = AgentProto.ListServicesResponse.newBuilder().addServices(service).build();

    Cli.Run run = cli.run("status", "-o", "wide");

    assertThat(run.outLines())
        .containsExactly(
            "SERVICE  COMPONENT  RUNTIME    STATE    VERSION  UPTIME  PORTS  GENERATION  OBSERVED"
                + "  WORKLOAD      IMAGE            MESSAGE",
            "hello    web        podman     exited   -        -       -      4           3       "
                + "  3f2a9c1d7b0e  example/web:1.0  exited with code 3 after 2 s",
            "hello    db         container  pending  -        -       -      4           -       "
                + "  -             example/db:1.0   -");
  }

  @Test
  void noHeadersPrintsTheRowsAlone() {
    agent.list = AgentProto.ListServicesResponse.newBuilder().addServices(old()).build();

    assertThat(cli.run("status", "--no-headers").outLines())
        .containsExactly("old      app        process  exited  -        -       -");
  }

  @Test
  void nameOfTheIgnoredWorkloadsIsRuntimeAndId() {
    agent.node =
        AgentProto.NodeStatusResponse.newBuilder()
            .addIgnored(
                AgentProto.IgnoredWorkload.newBuilder().setRuntime("podman").setId("4f1c2a9e0b7d"))
            .build();

    assertThat(cli.run("status", "--ignored", "-o", "name").outLines())
        .containsExactly("podman/4f1c2a9e0b7d");
  }

  @Test
  void jsonAndAnotherFormatAreAUsageError() {
    Cli.Run run = cli.run("status", "--json", "-o", "yaml");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: --json is -o json: it excludes -o yaml");
  }

  @Test
  void watchHasNoYaml() {
    Cli.Run run = cli.run("status", "-w", "-o", "yaml");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: --watch prints one line per change");
  }
}
