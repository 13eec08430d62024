package dev.berth.runner.cli;

import static dev.berth.runner.cli.Services.running;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import io.grpc.Status;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * history and rollback: what they send, what they print (the very text docs/cli.md shows), and the
 * agent's refusals as exit codes. What they do against a real agent is in {@code
 * HistoryEndToEndTest}.
 */
class HistoryCommandsTest extends FakeAgentTest {

  private static final String IMAGE_CHANGE =
      "components[0].image: \"example/app:1.0\" -> \"example/app:1.1\"";
  private static final String IMAGE_BACK =
      "components[0].image: \"example/app:1.1\" -> \"example/app:1.0\"";

  private static Timestamp at(String instant) {
    return Timestamp.newBuilder().setSeconds(Instant.parse(instant).getEpochSecond()).build();
  }

  private static AgentProto.FieldChange change(String path, String before, String after) {
    return AgentProto.FieldChange.newBuilder()
        .setPath(path)
        .setBefore(before)
        .setAfter(after)
        .build();
  }

  /** The history docs/cli.md shows. */
  private static AgentProto.HistoryResponse documentedHistory() {
    String files = "file:/etc/berth/services";
    return AgentProto.HistoryResponse.newBuilder()
        .setService("web")
        .setGeneration(4)
        .setLimit(10)
        .addEntries(
            AgentProto.HistoryEntry.newBuilder()
                .setGeneration(1)
                .setDeclaredAt(at("2024-05-01T12:00:01Z"))
                .setSource(files)
                .setHealthyAt(at("2024-05-01T12:00:05Z")))
        .addEntries(
            AgentProto.HistoryEntry.newBuilder()
                .setGeneration(2)
                .setDeclaredAt(at("2024-05-01T12:10:00Z"))
                .setSource(files)
                .addChanges(
                    change("components[0].image", "\"example/app:1.0\"", "\"example/app:1.1\"")))
        .addEntries(
            AgentProto.HistoryEntry.newBuilder()
                .setGeneration(3)
                .setDeclaredAt(at("2024-05-01T12:12:30Z"))
                .setSource("cli")
                .setRollbackOf(1)
                .setHealthyAt(at("2024-05-01T12:12:33Z"))
                .addChanges(
                    change("components[0].image", "\"example/app:1.1\"", "\"example/app:1.0\"")))
        .build();
  }

  private static AgentProto.RollbackResponse rolledBack(
      AgentProto.ServiceChange.Kind kind, long generation) {
    AgentProto.ServiceChange.Builder change =
        AgentProto.ServiceChange.newBuilder()
            .setService("web")
            .setKind(kind)
            .setGeneration(generation);
    if (kind == AgentProto.ServiceChange.Kind.UPDATED) {
      change.addDiff(change("components[0].image", "\"example/app:1.1\"", "\"example/app:1.0\""));
    }
    return AgentProto.RollbackResponse.newBuilder().setChange(change).setRolledBackTo(1).build();
  }

  private static String doc() throws Exception {
    return Files.readString(StatusDocTest.DOC);
  }

  @Test
  void historyIsATableWithEachEntrysChangesUnderItAsTheDocShows() throws Exception {
    agent.history = documentedHistory();

    Cli.Run run = cli.run("history", "web");

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .containsExactly(
            "GENERATION  DECLARED              HEALTHY  BY",
            "1           2024-05-01T12:00:01Z  yes      file:/etc/berth/services",
            "2           2024-05-01T12:10:00Z  no       file:/etc/berth/services",
            "  ~ " + IMAGE_CHANGE,
            "3           2024-05-01T12:12:30Z  yes      rollback to 1 by cli",
            "  ~ " + IMAGE_BACK,
            "web is at generation 4, with the spec of generation 3");
    assertThat(doc()).contains("$ berth history web\n" + run.out());
    assertThat(agent.requests(AgentProto.HistoryRequest.class))
        .containsExactly(AgentProto.HistoryRequest.newBuilder().setService("web").build());
  }

  @Test
  void historySaysNothingMoreWhenTheNewestEntryIsTheGeneration() {
    agent.history = documentedHistory().toBuilder().setGeneration(3).build();

    assertThat(cli.run("history", "web").outLines()).last().isEqualTo("  ~ " + IMAGE_BACK);
  }

  @Test
  void historyAsJsonIsTheAgentsAnswer() throws Exception {
    agent.history = documentedHistory();

    Cli.Run run = cli.run("history", "web", "--json");

    AgentProto.HistoryResponse.Builder parsed = AgentProto.HistoryResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.build()).isEqualTo(agent.history);
  }

  @Test
  void historyOfAnUnknownServiceExits4() {
    agent.fail("History", Status.NOT_FOUND.withDescription("no service named web"));

    Cli.Run run = cli.run("history", "web");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).isEqualTo("error: no service named web\n");
  }

  @Test
  void rollbackSendsItsRequestAndPrintsWhatChangedAsTheDocShows() throws Exception {
    agent.rollback = rolledBack(AgentProto.ServiceChange.Kind.UPDATED, 3);

    Cli.Run run = cli.run("rollback", "web", "--to", "1");

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .containsExactly("web rolled back to generation 1 (generation 3)", "  ~ " + IMAGE_BACK);
    assertThat(doc()).contains("$ berth rollback web --to 1\n" + run.out());
    assertThat(agent.requests(AgentProto.RollbackRequest.class))
        .containsExactly(
            AgentProto.RollbackRequest.newBuilder()
                .setService("web")
                .setToGeneration(1)
                .setSource("cli")
                .build());
  }

  @Test
  void rollbackWithoutOptionsLeavesTheGenerationsToTheAgent() {
    agent.rollback = rolledBack(AgentProto.ServiceChange.Kind.UPDATED, 3);

    cli.run("rollback", "web", "--expected-generation", "2");

    assertThat(agent.requests(AgentProto.RollbackRequest.class))
        .containsExactly(
            AgentProto.RollbackRequest.newBuilder()
                .setService("web")
                .setExpectedGeneration(2)
                .setSource("cli")
                .build());
  }

  @Test
  void rollbackWaitWaitsForTheNewGenerationAsTheDocShows() throws Exception {
    agent.rollback = rolledBack(AgentProto.ServiceChange.Kind.UPDATED, 3);
    agent.answers(
        "web",
        running("web", 2, "app").toBuilder().setGeneration(3).build(),
        running("web", 3, "app"));

    Cli.Run run = cli.run("rollback", "web", "--wait");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .hasSize(5)
        .startsWith(
            "web rolled back to generation 1 (generation 3)",
            "  ~ " + IMAGE_BACK,
            "web/app: running",
            "web converged");
    assertThat(run.outLines().get(4)).matches("1 service converged in \\d+\\.\\d s");
    assertThat(doc())
        .contains(
            "$ berth rollback web --wait\n"
                + run.out().replaceAll("converged in \\d+\\.\\d s", "converged in 2.1 s"));
  }

  @Test
  void aSpecDeclaredAlreadyIsSaidToBeUnchanged() throws Exception {
    agent.rollback = rolledBack(AgentProto.ServiceChange.Kind.UNCHANGED, 3);

    Cli.Run run = cli.run("rollback", "web", "--to", "1");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("web unchanged: generation 3 declares the spec of generation 1 already\n");
    assertThat(doc()).contains("`" + run.out().strip() + "`");
  }

  @Test
  void aGenerationTheHistoryDoesNotKeepExits4WithWhatItKeeps() throws Exception {
    String kept =
        "service web has no generation 1 in its history (it keeps generations 8, 9, 10, 11, 12,"
            + " 13, 14, 15, 16, 17; at most 10 are kept)";
    agent.fail("Rollback", Status.NOT_FOUND.withDescription(kept));

    Cli.Run run = cli.run("rollback", "web", "--to", "1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).isEqualTo("error: " + kept + "\n");
    assertThat(doc()).contains("$ berth rollback web --to 1\n" + run.err());
  }

  @Test
  void aStaleExpectedGenerationExits5() {
    agent.fail(
        "Rollback",
        Status.ABORTED.withDescription(
            "service web: expected generation 2, found 4; read again and retry"));

    Cli.Run run = cli.run("rollback", "web", "--expected-generation", "2");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run.err())
        .isEqualTo("error: service web: expected generation 2, found 4; read again and retry\n");
  }

  @Test
  void aGenerationBelowOneIsAUsageError() {
    Cli.Run run = cli.run("rollback", "web", "--to", "0");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--to must be 1 or more, was 0");
    assertThat(agent.requests).isEmpty();
  }

  @Test
  void historyWideAddsWhenEachBecameHealthyAndHowManyFieldsChanged() {
    agent.history = documentedHistory();

    Cli.Run run = cli.run("history", "web", "-o", "wide", "--no-headers");

    assertThat(run.outLines())
        .startsWith(
            "1           2024-05-01T12:00:01Z  yes      file:/etc/berth/services"
                + "  2024-05-01T12:00:05Z  0",
            "2           2024-05-01T12:10:00Z  no       file:/etc/berth/services"
                + "  -                     1",
            "  ~ " + IMAGE_CHANGE);
  }

  @Test
  void historyByNameIsOneGenerationPerLine() {
    agent.history = documentedHistory();

    assertThat(cli.run("history", "web", "-o", "name").outLines())
        .containsExactly("generation/1", "generation/2", "generation/3");
  }
}
