package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentProto.ServiceChange.Kind;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApplyCommandTest extends FakeAgentTest {

  private static AgentProto.ServiceChange change(String service, Kind kind, long generation) {
    return AgentProto.ServiceChange.newBuilder()
        .setService(service)
        .setKind(kind)
        .setGeneration(generation)
        .build();
  }

  @Test
  void aDirectoryIsSentAsOneSourceWithEveryServiceInFileOrder() throws Exception {
    Path services = ServiceFilesFixture.goodDirectory(dir, "services");

    Cli.Run run = cli.run("apply", "-f", services.toString());

    assertThat(run.exitCode()).isZero();
    AgentProto.ApplyRequest request = agent.requests(AgentProto.ApplyRequest.class).get(0);
    assertThat(request.getServicesList())
        .extracting(AgentProto.ServiceSpec::getName)
        .containsExactly("db", "hello");
    assertThat(request.getSource()).isEqualTo("file:" + services.toAbsolutePath());
    assertThat(request.getPrune()).isFalse();
    assertThat(request.getDryRun()).isFalse();
    assertThat(request.getServices(1).getComponents(0).getImage())
        .isEqualTo("docker.io/library/nginx:1.27");
  }

  @Test
  void aSingleFileIsItsOwnSource() throws Exception {
    Path file = Files.writeString(dir.resolve("hello.toml"), ServiceFilesFixture.HELLO);

    cli.run("apply", "-f", file.toString(), "--prune");

    AgentProto.ApplyRequest request = agent.requests(AgentProto.ApplyRequest.class).get(0);
    assertThat(request.getSource()).isEqualTo("file:" + file.toAbsolutePath());
    assertThat(request.getPrune()).isTrue();
  }

  @Test
  void onePrintedLinePerChangedService() throws Exception {
    agent.apply =
        AgentProto.ApplyResponse.newBuilder()
            .addChanges(change("hello", Kind.CREATED, 1))
            .addChanges(change("web", Kind.UPDATED, 4))
            .addChanges(change("db", Kind.UNCHANGED, 2))
            .addChanges(change("old", Kind.PRUNED, 0))
            .build();

    Cli.Run run = cli.run("apply", "-f", ServiceFilesFixture.goodDirectory(dir, "s").toString());

    assertThat(run.outLines())
        .containsExactly(
            "hello created (generation 1)",
            "web updated (generation 4)",
            "db unchanged",
            "old pruned");
  }

  @Test
  void aDryRunPrintsTheDiffAndSaysNothingChanged() throws Exception {
    agent.apply =
        AgentProto.ApplyResponse.newBuilder()
            .setDryRun(true)
            .addChanges(
                change("web", Kind.UPDATED, 5).toBuilder()
                    .addDiff(
                        AgentProto.FieldChange.newBuilder()
                            .setPath("components[0].image")
                            .setBefore("\"example/app:1.0\"")
                            .setAfter("\"example/app:1.1\""))
                    .addDiff(
                        AgentProto.FieldChange.newBuilder().setPath("comment").setAfter("\"new\""))
                    .addDiff(
                        AgentProto.FieldChange.newBuilder().setPath("node").setBefore("\"n1\"")))
            .addChanges(change("old", Kind.PRUNED, 0))
            .build();

    Cli.Run run =
        cli.run("apply", "-f", ServiceFilesFixture.goodDirectory(dir, "s").toString(), "--dry-run");

    assertThat(agent.requests(AgentProto.ApplyRequest.class).get(0).getDryRun()).isTrue();
    assertThat(run.outLines())
        .containsExactly(
            "web would be updated (generation 5)",
            "  ~ components[0].image: \"example/app:1.0\" -> \"example/app:1.1\"",
            "  + comment: \"new\"",
            "  - node: \"n1\"",
            "old would be pruned",
            "dry run: nothing was changed");
  }

  @Test
  void fileErrorsArePrintedWithFileAndPathAndNothingIsSent() throws Exception {
    Path services = ServiceFilesFixture.goodDirectory(dir, "s");
    Files.writeString(services.resolve("web.toml"), ServiceFilesFixture.BAD_PORT);

    Cli.Run run = cli.run("apply", "-f", services.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "web.toml: components[0].routes[0].port: must be 1..65535, was 70000\n"
                + "error: 1 problem in "
                + services
                + "; nothing was applied\n");
    assertThat(agent.requests).isEmpty();
  }

  @Test
  void fileErrorsNeedNoAgent() throws Exception {
    Path file = Files.writeString(dir.resolve("web.toml"), ServiceFilesFixture.BAD_PORT);

    Cli.Run run =
        Cli.plain().run("apply", "-f", file.toString(), "--socket", dir.resolve("none").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).contains("web.toml: components[0].routes[0].port");
  }

  @Test
  void theAgentsFieldViolationsNameTheFilesTheServicesCameFrom() throws Exception {
    BadRequest violations =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder()
                    .setField("services[1].components[0].routes[0].hostname")
                    .setDescription("already claimed by services[other]"))
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder()
                    .setField("services[0].node")
                    .setDescription("must be this node, was \"n2\""))
            .build();
    agent.failures.put(
        "Apply",
        StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage("2 problems")
                .addDetails(Any.pack(violations))
                .build()));

    Cli.Run run = cli.run("apply", "-f", ServiceFilesFixture.goodDirectory(dir, "s").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "error: 2 problems:\n"
                + "  hello.toml: components[0].routes[0].hostname: already claimed by"
                + " services[other]\n"
                + "  db.toml: node: must be this node, was \"n2\"\n");
  }

  @Test
  void aPlainInvalidArgumentMessageIsMappedToo() throws Exception {
    agent.fail(
        "Apply",
        Status.INVALID_ARGUMENT.withDescription("services[1].components[0].image: no such image"));

    Cli.Run run = cli.run("apply", "-f", ServiceFilesFixture.goodDirectory(dir, "s").toString());

    assertThat(run.err()).isEqualTo("error: hello.toml: components[0].image: no such image\n");
  }

  @Test
  void aConflictExits5() throws Exception {
    agent.fail("Apply", Status.ABORTED.withDescription("web.example.net is routed by service mc"));

    Cli.Run run = cli.run("apply", "-f", ServiceFilesFixture.goodDirectory(dir, "s").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run.err()).isEqualTo("error: web.example.net is routed by service mc\n");
  }

  @Test
  void jsonPrintsTheApplyResponse() throws Exception {
    agent.apply =
        AgentProto.ApplyResponse.newBuilder().addChanges(change("hello", Kind.CREATED, 1)).build();

    Cli.Run run =
        cli.run("apply", "-f", ServiceFilesFixture.goodDirectory(dir, "s").toString(), "--json");

    AgentProto.ApplyResponse.Builder parsed = AgentProto.ApplyResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.build()).isEqualTo(agent.apply);
  }

  @Test
  void waitAndDryRunExcludeEachOther() throws Exception {
    Cli.Run run =
        cli.run(
            "apply",
            "-f",
            ServiceFilesFixture.goodDirectory(dir, "s").toString(),
            "--dry-run",
            "--wait");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: --wait and --dry-run exclude each other");
    assertThat(agent.requests).isEmpty();
  }

  @Test
  void fileIsRequired() {
    Cli.Run run = cli.run("apply");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: Missing required option: '--file=FILE|DIR'");
  }
}
